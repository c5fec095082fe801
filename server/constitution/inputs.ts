// Loads what the evaluator needs for one task: the tenant's active policy, the named spec's current
// version, the tenant's waivers and its budgets with their usage. Policy and spec versions are
// immutable, so their parsed forms are cached by version id.
import type { Db } from "@/server/db/client";
import { DEFAULT_POLICY, validatePolicy, type Policy } from "./policy";
import { validateSpec } from "./spec-validator";
import type { BudgetFacts, ChangeProposal, EvaluationInput, SpecFacts } from "./evaluate";
import type { GateName } from "./policy-schema";
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
  if (!row) return null;
  let facts = parsedSpecs.get(row.id);
  if (!facts) {
    facts = { specId, versionId: row.id, version: row.version, validation: validateSpec(row.content) };
    parsedSpecs.set(row.id, facts);
  }
  return facts;
}

/** Waivers that are live, or ended within the last 30 days (so a decision can say why they did not apply). */
export async function tenantWaivers(db: Db, tenantId: string, now: Date): Promise<WaiverFacts[]> {
  const recent = new Date(now.getTime() - 30 * 86_400_000);
  const rows = await db.waiver.findMany({
    where: {
      tenantId,
      OR: [{ status: { in: ["proposed", "active"] }, expiresAt: { gt: recent } }, { status: { in: ["revoked", "rejected"] }, decidedAt: { gt: recent } }, { revokedAt: { gt: recent } }],
    },
    orderBy: { requestedAt: "desc" },
    take: 200,
    select: {
      code: true,
      status: true,
      gates: true,
      deltaFiles: true,
      deltaLoc: true,
      specId: true,
      taskType: true,
      requestedAt: true,
      expiresAt: true,
      _count: { select: { approvals: { where: { decision: "approve" } } } },
    },
  });
  return rows.map((w) => ({
    id: w.code,
    status: w.status,
    gates: w.gates as GateName[],
    deltaFiles: w.deltaFiles,
    deltaLoc: w.deltaLoc,
    specId: w.specId,
    taskType: w.taskType,
    requestedAt: w.requestedAt,
    expiresAt: w.expiresAt,
    approvals: w._count.approvals,
  }));
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

export async function loadEvaluationInput(db: Db, tenantId: string, task: TaskFacts, now: Date, policy?: ActivePolicy): Promise<EvaluationInput> {
  const [active, spec, waivers, budgets] = await Promise.all([
    policy ?? activePolicy(db, tenantId),
    task.specId ? currentSpec(db, tenantId, task.specId) : null,
    tenantWaivers(db, tenantId, now),
    budgetFacts(db, tenantId, task.taskType, now),
  ]);
  return { now, policy: active.policy, policyVersionId: active.versionId, taskType: task.taskType, specId: task.specId, spec, change: task.change, waivers, budgets };
}
