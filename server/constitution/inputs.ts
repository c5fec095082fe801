// Loads what the evaluator needs for one task: the tenant's active policy, the named spec's current
// version, the tenant's waivers and its budgets with their usage. Policy and spec versions are
// immutable, so their parsed forms are cached by version id.
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { queryRows, type SqlDb } from "@/server/db/direct-sql";
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

export async function budgetFacts(db: SqlDb, tenantId: string, taskType: string | null, now: Date): Promise<BudgetFacts[]> {
  const today = utcDay(now);
  const monthStart = utcMonthStart(now);
  const rows = await queryRows<{ id: string; taskType: string; tasksPerDay: number | null; costUnitsPerMonth: number | null; tasksToday: number; costThisMonth: number }[]>(db, Prisma.sql`
    SELECT b.id, b."taskType", b."tasksPerDay", b."costUnitsPerMonth",
      COALESCE((SELECT u.tasks FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType" AND u.day = ${today}::date), 0)::int AS "tasksToday",
      COALESCE((SELECT sum(u.cost) FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType"
                AND u.day >= ${monthStart}::date AND u.day <= ${today}::date), 0)::float8 AS "costThisMonth"
    FROM tenant_budgets b
    WHERE b."tenantId" = ${tenantId} AND (${taskType}::text IS NULL OR b."taskType" IN ('*', ${taskType}))`);
  return rows.map((r) => ({ ...r, taskType: r.taskType === "*" ? null : r.taskType }));
}

export interface TaskFacts {
  taskType: string;
  specId: string | null;
  change: ChangeProposal | null;
}

interface InputsRow {
  policy: { id: string; version: number; content: string } | null;
  specs: { specId: string; id: string; version: number; content: string }[];
  waivers: { specId: string | null; taskType: string; list: (Omit<WaiverFacts, "requestedAt" | "expiresAt"> & { requestedAt: string; expiresAt: string })[] }[];
  budgets: (Omit<BudgetFacts, "taskType"> & { taskType: string })[];
}

/** Everything the evaluator needs for one task (see loadEvaluationInputs). */
export async function loadEvaluationInput(db: SqlDb, tenantId: string, task: TaskFacts, now: Date, policy?: ActivePolicy): Promise<EvaluationInput> {
  const [input] = await loadEvaluationInputs(db, tenantId, [task], now, policy);
  return input!;
}

/**
 * Everything the evaluator needs for each of a tenant's tasks, in one round trip however many
 * tasks: the active policy, the named specs' current versions, per task the waivers whose scope
 * includes it (live, or ended in the last 30 days, so the decision can say why they did not apply;
 * at most 200, newest first) with their approval counts, and the budgets covering its task type with
 * today's and this month's usage. Waivers scoped to another spec or task type can never apply, so
 * they are neither loaded nor stored with the decision.
 */
export async function loadEvaluationInputs(db: SqlDb, tenantId: string, tasks: readonly TaskFacts[], now: Date, policy?: ActivePolicy): Promise<EvaluationInput[]> {
  const recent = new Date(now.getTime() - 30 * 86_400_000);
  const today = utcDay(now);
  const monthStart = utcMonthStart(now);
  const scopeKey = (specId: string | null, taskType: string) => `${specId ?? ""}\u0000${taskType}`;
  const scopes = [...new Map(tasks.map((t) => [scopeKey(t.specId, t.taskType), t])).values()];
  const specIds = [...new Set(tasks.flatMap((t) => (t.specId ? [t.specId] : [])))];
  const taskTypes = [...new Set(tasks.map((t) => t.taskType))];
  const [row] = await queryRows<InputsRow[]>(db, Prisma.sql`
    SELECT
      (SELECT json_build_object('id', p.id, 'version', p.version, 'content', p.content) FROM policy_versions p
        WHERE p."tenantId" = ${tenantId} AND p."activatedAt" IS NOT NULL ORDER BY p."activatedAt" DESC LIMIT 1) AS policy,
      (SELECT COALESCE(json_agg(json_build_object('specId', s."specId", 'id', s.id, 'version', s.version, 'content', s.content)), '[]'::json) FROM (
        SELECT DISTINCT ON (s."specId") s."specId", s.id, s.version, s.content FROM spec_versions s
        WHERE s."tenantId" = ${tenantId} AND s."specId" = ANY(${specIds}::text[]) ORDER BY s."specId", s.version DESC) s) AS specs,
      (SELECT COALESCE(json_agg(json_build_object('specId', k.spec_id, 'taskType', k.task_type, 'list', w.list)), '[]'::json)
        FROM unnest(${scopes.map((t) => t.specId)}::text[], ${scopes.map((t) => t.taskType)}::text[]) AS k(spec_id, task_type)
        CROSS JOIN LATERAL (SELECT COALESCE(json_agg(w ORDER BY w."requestedAt" DESC), '[]'::json) AS list FROM (
          SELECT w.code AS id, w.status, w.gates, w."deltaFiles", w."deltaLoc", w."specId", w."taskType", w."requestedAt", w."expiresAt",
            (SELECT count(*) FROM waiver_approvals a WHERE a."waiverId" = w.id AND a.decision = 'approve')::int AS approvals
          FROM waivers w
          WHERE w."tenantId" = ${tenantId}
            AND (w."specId" IS NULL OR w."specId" = k.spec_id) AND (w."taskType" IS NULL OR w."taskType" = k.task_type)
            AND ((w.status IN ('proposed', 'active') AND w."expiresAt" > ${recent}) OR w."decidedAt" > ${recent} OR w."revokedAt" > ${recent})
          ORDER BY w."requestedAt" DESC LIMIT 200) w) w) AS waivers,
      (SELECT COALESCE(json_agg(b), '[]'::json) FROM (
        SELECT b.id, b."taskType", b."tasksPerDay", b."costUnitsPerMonth",
          COALESCE((SELECT u.tasks FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType" AND u.day = ${today}::date), 0) AS "tasksToday",
          COALESCE((SELECT sum(u.cost) FROM budget_usage u WHERE u."tenantId" = b."tenantId" AND u."taskType" = b."taskType"
                    AND u.day >= ${monthStart}::date AND u.day <= ${today}::date), 0)::float8 AS "costThisMonth"
        FROM tenant_budgets b WHERE b."tenantId" = ${tenantId} AND (b."taskType" = '*' OR b."taskType" = ANY(${taskTypes}::text[]))) b) AS budgets`);
  const r = row!;
  const active = policy ?? (r.policy ? { policy: policyFromVersion(r.policy), versionId: r.policy.id, version: r.policy.version } : { policy: DEFAULT_POLICY, versionId: null, version: null });
  const specs = new Map(r.specs.map((s) => [s.specId, s]));
  const waivers = new Map(r.waivers.map((w) => [scopeKey(w.specId, w.taskType), w.list]));
  return tasks.map((task) => {
    const spec = task.specId ? specs.get(task.specId) : undefined;
    return {
      now,
      policy: active.policy,
      policyVersionId: active.versionId,
      taskType: task.taskType,
      specId: task.specId,
      spec: task.specId && spec ? specFromVersion(task.specId, spec) : null,
      change: task.change,
      waivers: (waivers.get(scopeKey(task.specId, task.taskType)) ?? []).map((w) => ({ ...w, requestedAt: new Date(w.requestedAt), expiresAt: new Date(w.expiresAt) })),
      budgets: r.budgets.filter((b) => b.taskType === "*" || b.taskType === task.taskType).map((b) => ({ ...b, taskType: b.taskType === "*" ? null : b.taskType })),
    };
  });
}
