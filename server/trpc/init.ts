// tRPC builders: public, authed, tenant-scoped and permission-gated procedures.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Context } from "./context";
import { resolveActiveTenant } from "@/server/tenancy/principal-loader";
import { roleAllows, scopesAllow, type Action, type Role } from "@/server/auth/permissions";
import { auditActorOf } from "@/server/auth/principal";
import { toTRPCError } from "./errors";

/** Procedure metadata: the permission a procedure requires, read by the RBAC and isolation tests
 *  and the Settings → Roles page. */
export interface ProcedureMeta {
  permission?: Action;
  /** For procedures without a permission: who may call them. */
  access?: "public" | "authenticated";
}

const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldErrors =
      cause instanceof ZodError
        ? zodFieldErrors(cause)
        : cause && "fieldErrors" in cause && typeof cause.fieldErrors === "object"
          ? (cause.fieldErrors as Record<string, string[]>)
          : undefined;
    const hideMessage = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: hideMessage ? "Internal error" : cause instanceof ZodError ? "Invalid input" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: fieldErrors && Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined,
      },
    };
  },
});

function zodFieldErrors(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become tRPC errors; anything else is logged and hidden behind INTERNAL_SERVER_ERROR. */
const errorMapping = t.middleware(async ({ ctx, next, path, type }) => {
  const started = performance.now();
  const result = await next();
  const ms = Math.round((performance.now() - started) * 10) / 10;
  if (result.ok) {
    ctx.log.info({ path, type, ms }, "trpc ok");
    return result;
  }
  const mapped = toTRPCError(result.error);
  if (mapped.code === "INTERNAL_SERVER_ERROR") ctx.log.error({ path, type, ms, err: result.error.cause ?? result.error }, "trpc failed");
  else ctx.log.info({ path, type, ms, code: mapped.code }, "trpc rejected");
  throw mapped;
});

export const publicProcedure = t.procedure.use(errorMapping);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.invalidCredential ? "The API token is invalid, revoked or expired" : "Sign in or send an API token",
    });
  }
  return next({ ctx: { ...ctx, principal: ctx.principal, actor: auditActorOf(ctx.principal) } });
});

export const tenantProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const tenant = await resolveActiveTenant(ctx.db, ctx.principal, ctx.selectedTenantSlug);
  if (!tenant) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any tenant" });
  return next({ ctx: { ...ctx, tenant } });
});

/** A tenant procedure that the caller's role (and, for tokens, scopes) must allow. */
export function permittedProcedure(action: Action) {
  return tenantProcedure.meta({ permission: action }).use(({ ctx, next }) => {
    const role: Role = ctx.tenant.role;
    if (!roleAllows(role, action)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `The ${role} role may not ${action}` });
    }
    if (ctx.principal.kind === "token" && !scopesAllow(ctx.principal.scopes, action)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This token's scopes do not include ${action}` });
    }
    return next();
  });
}
