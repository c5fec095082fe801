// Every tRPC procedure with the access it requires, read from the router itself, so the RBAC and
// isolation tests and the Roles page cover new procedures without being told about them.
import { appRouter } from "./root";
import type { ProcedureMeta } from "./init";
import type { Action } from "@/server/auth/permissions";

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  access: { kind: "permission"; permission: Action } | { kind: "public" } | { kind: "authenticated" } | { kind: "undeclared" };
}

export function listProcedures(): ProcedureInfo[] {
  // At run time `procedures` is flat, keyed by dotted path (the static type describes the nesting).
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo["type"]; meta?: ProcedureMeta } }>;
  return Object.entries(procedures)
    .map(([path, p]) => {
      const meta = p._def.meta ?? {};
      const access: ProcedureInfo["access"] = meta.permission
        ? { kind: "permission", permission: meta.permission }
        : meta.access
          ? { kind: meta.access }
          : { kind: "undeclared" };
      return { path, type: p._def.type, access };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
