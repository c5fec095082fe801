// Loads what the evaluator needs for one task: the tenant's active policy, the named spec's current
// version, the tenant's waivers and its budgets with their usage. Policy and spec versions are
// immutable, so their parsed forms are cached by version id.
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { queryRows } from "@/server/db/direct-sql";
import { DEFAULT_POLICY, validatePolicy, type Policy } from "./policy";
import { validateSpec } from "./spec-validator";
import type { BudgetFacts, ChangeProposal, EvaluationInput, SpecFacts } from "./evaluate";
import type { WaiverFacts } from "./waiver-rules";

const parsedPolicies = new Map<string, Policy>();
const parsedSpecs = new Map<string, SpecFacts>();

export interface ActivePolicy {
  policy: Policy;
  versionId: string | null;
  version: number | null;
}

export function policyFromVersion(v: { id: string; content: string }): Policy {
  let policy = parsedPolicies.get(v.id);
  if (!policy) {
    const r = validatePolicy(v.content);
    // Only valid versions are stored (policy-service refuses others).
    if (!r.valid) throw new Error(`Stored policy version ${v.id} is invalid`);
    policy = r.policy;
    parsedPolicies.set(v.id, policy);
  }
  return policy;
}

export async function activePolicy(db: Db, tenantId: string): Promise<ActivePolicy> {
  const row = await db.policyVersion.findFirst({
    where: { tenantId, activatedAt: { not: null } },
    orderBy: { activatedAt: "desc" },
    select: { id: true, version: true, content: true },
  });
  if (!row) return { policy: DEFAULT_POLICY, versionId: null, version: null };
  return { policy: policyFromVersion(row), versionId: row.id, version: row.version };
}

export async function currentSpec(db: Db, tenantId: string, specId: string): Promise<SpecFacts | null> {
  const row = await db.specVersion.findFirst({
    where: { tenantId, specId },
    orderBy: { version: "desc" },
    select: { id: true, version: true, content: true },
  });
  return row ? specFromVersion(specId, row) : null;
}

function specFromVersion(specId: string, row: { id: string; version: number; content: string }): SpecFacts {
  let facts = parsedSpecs.get(row.id);
  if (!facts) {
    facts = { specId, versionId: row.id, version: row.version, validation: validateSpec(row.content) };
    parsedSpecs.set(row.id, facts);
  }
  return facts;
}

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);
export const utcMonthStart = (d: Date) => `${d.toISOString().slice(0, 7)}-01`;

export async function budgetFacts(db: Db, tenantId: string, taskType: string | null, now: Date): Promise<BudgetFacts[]> {
  const today = utcDay(now);
  const monthStart = utcMonthStart(now);
  const rows = await db.$queryRaw<{ id: string; taskType: string; tasksPerDay: number | null; costUnitsPerMonth: number | null; tasksToday: number; costThisMonth: number }[]>`
    SELECT b.id, b."taskType", b."tasksPerDay", b."costUnitsPerMonth",
      COALESCE((SELECT u.tasks FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType" AND u.day = ${today}::date), 0)::int AS "tasksToday",
      COALESCE((SELECT sum(u.cost) FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType"
                AND u.day >= ${monthStart}::date AND u.day <= ${today}::date), 0)::float8 AS "costThisMonth"
    FROM tenant_budgets b
    WHERE b."tenantId" = ${tenantId} AND (${taskType}::text IS NULL OR b."taskType" IN ('*', ${taskType}))`;
  return rows.map((r) => ({ ...r, taskType: r.taskType === "*" ? null : r.taskType }));
}

export interface TaskFacts {
  taskType: string;
  specId: string | null;
  change: ChangeProposal | null;
}

interface InputsRow {
  policy: { id: string; version: number; content: string } | null;
  spec: { id: string; version: number; content: string } | null;
  waivers: (Omit<WaiverFacts, "requestedAt" | "expiresAt"> & { requestedAt: string; expiresAt: string })[];
  budgets: (Omit<BudgetFacts, "taskType"> & { taskType: string })[];
}

/**
 * Everything the evaluator needs for one task, in one round trip: the active policy, the named
 * spec's current version, the waivers whose scope includes the task (live, or ended in the last 30
 * days, so the decision can say why they did not apply) with their approval counts, and the budgets
 * covering the task type with today's and this month's usage. Waivers scoped to another spec or
 * task type can never apply, so they are neither loaded nor stored with the decision.
 */
export async function loadEvaluationInput(db: Db, tenantId: string, task: TaskFacts, now: Date, policy?: ActivePolicy): Promise<EvaluationInput> {
  const recent = new Date(now.getTime() - 30 * 86_400_000);
  const today = utcDay(now);
  const monthStart = utcMonthStart(now);
  const [row] = await queryRows<InputsRow[]>(db, Prisma.sql`
    SELECT
      (SELECT json_build_object('id', p.id, 'version', p.version, 'content', p.content) FROM policy_versions p
        WHERE p."tenantId" = ${tenantId} AND p."activatedAt" IS NOT NULL ORDER BY p."activatedAt" DESC LIMIT 1) AS policy,
      (SELECT json_build_object('id', s.id, 'version', s.version, 'content', s.content) FROM spec_versions s
        WHERE s."tenantId" = ${tenantId} AND s."specId" = ${task.specId} ORDER BY s.version DESC LIMIT 1) AS spec,
      (SELECT COALESCE(json_agg(w ORDER BY w."requestedAt" DESC), '[]'::json) FROM (
        SELECT w.code AS id, w.status, w.gates, w."deltaFiles", w."deltaLoc", w."specId", w."taskType", w."requestedAt", w."expiresAt",
          (SELECT count(*) FROM waiver_approvals a WHERE a."waiverId" = w.id AND a.decision = 'approve')::int AS approvals
        FROM waivers w
        WHERE w."tenantId" = ${tenantId}
          AND (w."specId" IS NULL OR w."specId" = ${task.specId}) AND (w."taskType" IS NULL OR w."taskType" = ${task.taskType})
          AND ((w.status IN ('proposed', 'active') AND w."expiresAt" > ${recent}) OR w."decidedAt" > ${recent} OR w."revokedAt" > ${recent})
        ORDER BY w."requestedAt" DESC LIMIT 200) w) AS waivers,
      (SELECT COALESCE(json_agg(b), '[]'::json) FROM (
        SELECT b.id, b."taskType", b."tasksPerDay", b."costUnitsPerMonth",
          COALESCE((SELECT u.tasks FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType" AND u.day = ${today}::date), 0) AS "tasksToday",
          COALESCE((SELECT sum(u.cost) FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType"
                    AND u.day >= ${monthStart}::date AND u.day <= ${today}::date), 0)::float8 AS "costThisMonth"
        FROM tenant_budgets b WHERE b."tenantId" = ${tenantId} AND b."taskType" IN ('*', ${task.taskType})) b) AS budgets`);
  const r = row!;
  const active = policy ?? (r.policy ? { policy: policyFromVersion(r.policy), versionId: r.policy.id, version: r.policy.version } : { policy: DEFAULT_POLICY, versionId: null, version: null });
  return {
    now,
    policy: active.policy,
    policyVersionId: active.versionId,
    taskType: task.taskType,
    specId: task.specId,
    spec: task.specId && r.spec ? specFromVersion(task.specId, r.spec) : null,
    change: task.change,
    waivers: r.waivers.map((w) => ({ ...w, requestedAt: new Date(w.requestedAt), expiresAt: new Date(w.expiresAt) })),
    budgets: r.budgets.map((b) => ({ ...b, taskType: b.taskType === "*" ? null : b.taskType })),
  };
}
