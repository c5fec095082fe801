// Routing policies: defaults, the tenant's "*" row, then a task type's own row, merged field by
// field. Read on every routing call, so kept in a short per-process cache.
import type { Db } from "@/server/db/client";
import { withDb, type DbSource } from "@/server/db/tenant-scope";
import { queryRows } from "@/server/db/direct-sql";
import { Prisma } from "@/server/db/generated/client";
import { invalidate, onInvalidation } from "@/server/db/cache-invalidation";
import { withAudit, type AuditActor } from "@/server/audit/service";
import type { RoutingPolicyFields } from "./policy-schemas";

export const DEFAULT_POLICY: RoutingPolicyFields = {
  strategy: "thompson",
  explorationConstant: 1,
  epsilon: 0.1,
  epsilonDecay: 0.001,
  qualityWeighted: true,
  loadPenalty: 0.1,
  decayHalfLifeHours: 168,
  noCandidateAction: "wait",
  heartbeatTimeoutSeconds: 120,
};

const FIELDS = Object.keys(DEFAULT_POLICY) as (keyof RoutingPolicyFields)[];
const CACHE_MS = 2_000;
const cache = new Map<string, { at: number; rows: Map<string, Partial<RoutingPolicyFields>> }>();
onInvalidation("routing-policy", (tenantId) => (tenantId === "*" ? cache.clear() : cache.delete(tenantId)));

async function tenantRows(source: DbSource, tenantId: string) {
  const hit = cache.get(tenantId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.rows;
  // Raw SQL: this runs on the batched submit path too, in a transaction without Prisma.
  const rows = await withDb(source, (db) =>
    queryRows<(NullableFields & { taskType: string })[]>(
      db,
      Prisma.sql`SELECT "taskType", strategy::text AS strategy, "explorationConstant", epsilon, "epsilonDecay", "qualityWeighted", "loadPenalty",
        "decayHalfLifeHours", "noCandidateAction"::text AS "noCandidateAction", "heartbeatTimeoutSeconds" FROM routing_policies WHERE "tenantId" = ${tenantId}`,
    ),
  );
  const map = new Map(rows.map((r) => [r.taskType, pickFields(r)]));
  cache.set(tenantId, { at: Date.now(), rows: map });
  return map;
}

type NullableFields = { [K in keyof RoutingPolicyFields]?: RoutingPolicyFields[K] | null };

function pickFields(r: NullableFields): Partial<RoutingPolicyFields> {
  const out: Partial<RoutingPolicyFields> = {};
  for (const f of FIELDS) if (r[f] !== undefined && r[f] !== null) (out as Record<string, unknown>)[f] = r[f];
  return out;
}

export async function effectivePolicy(db: DbSource, tenantId: string, taskType: string): Promise<RoutingPolicyFields & { source: Record<string, string> }> {
  const rows = await tenantRows(db, tenantId);
  const tenantDefault = rows.get("*") ?? {};
  const own = taskType === "*" ? {} : (rows.get(taskType) ?? {});
  const merged = { ...DEFAULT_POLICY, ...tenantDefault, ...own };
  const source: Record<string, string> = {};
  for (const f of FIELDS) source[f] = f in own ? `task type ${taskType}` : f in tenantDefault ? "tenant default" : "built-in default";
  return { ...merged, source };
}

export async function listPolicies(db: Db, tenantId: string) {
  const rows = await db.routingPolicy.findMany({ where: { tenantId }, orderBy: { taskType: "asc" } });
  return { defaults: DEFAULT_POLICY, policies: rows };
}

export async function setRoutingPolicy(
  db: Db,
  caller: { actor: AuditActor; requestId: string | null },
  tenantId: string,
  input: Partial<RoutingPolicyFields> & { taskType: string },
  now = new Date(),
) {
  const { taskType, ...fields } = input;
  const result = await withAudit(db, async (tx) => {
    const before = await tx.routingPolicy.findUnique({ where: { tenantId_taskType: { tenantId, taskType } } });
    // The task type's own row holds only what was set for it; other fields inherit.
    const after = await tx.routingPolicy.upsert({
      where: { tenantId_taskType: { tenantId, taskType } },
      create: { tenantId, taskType, ...fields, updatedAt: now },
      update: { ...fields, updatedAt: now },
    });
    return {
      result: after,
      audit: {
        tenantId,
        actor: caller.actor,
        action: "routing.policy_changed",
        target: { type: "routing_policy", id: taskType },
        summary: { before: before ? pickFields(before) : null, after: pickFields(after) },
        requestId: caller.requestId,
        now,
      },
    };
  });
  invalidate("routing-policy", tenantId);
  return result;
}
