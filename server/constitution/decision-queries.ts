// Reading constitutional decisions: the list, one full record, and the Decisions page's aggregates
// (verdicts per day, most-failed rules, waiver usage), computed in SQL.
import type { Db } from "@/server/db/client";
import { NotFound } from "@/server/errors";
import type { Verdict } from "./evaluate";

export async function listDecisions(db: Db, tenantId: string, q: { verdict?: Verdict; taskId?: string; days: number; cursor?: string; limit: number }, now = new Date()) {
  const since = new Date(now.getTime() - q.days * 86_400_000);
  const rows = await db.constitutionalDecision.findMany({
    where: { tenantId, createdAt: { gte: since }, ...(q.verdict ? { verdict: q.verdict } : {}), ...(q.taskId ? { taskId: q.taskId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
    select: { id: true, taskId: true, taskType: true, specId: true, verdict: true, tier: true, failedRules: true, appliedWaiverIds: true, trigger: true, evaluationMs: true, createdAt: true },
  });
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

export async function getDecision(db: Db, tenantId: string, id: string) {
  const d = await db.constitutionalDecision.findFirst({ where: { tenantId, id } });
  if (!d) throw new NotFound("Decision not found");
  const [policyVersion, specVersion, task] = await Promise.all([
    d.policyVersionId ? db.policyVersion.findFirst({ where: { tenantId, id: d.policyVersionId }, select: { version: true } }) : null,
    d.specVersionId ? db.specVersion.findFirst({ where: { tenantId, id: d.specVersionId }, select: { version: true } }) : null,
    d.taskId ? db.task.findFirst({ where: { tenantId, id: d.taskId }, select: { id: true, status: true, type: true, agentId: true, constitutionalDecisionId: true } }) : null,
  ]);
  return { ...d, policyVersion: policyVersion?.version ?? null, specVersion: specVersion?.version ?? null, task };
}

export async function decisionMetrics(db: Db, tenantId: string, days: number, now = new Date()) {
  const since = new Date(now.getTime() - days * 86_400_000);
  const [perDay, failedRules, waiverUse, totals] = await Promise.all([
    db.$queryRaw<{ day: string; allow: number; deny: number; needs_waiver: number }[]>`
      SELECT to_char(date_trunc('day', "createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
        count(*) FILTER (WHERE verdict = 'allow')::int AS allow,
        count(*) FILTER (WHERE verdict = 'deny')::int AS deny,
        count(*) FILTER (WHERE verdict = 'needs_waiver')::int AS needs_waiver
      FROM constitutional_decisions WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}
      GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<{ rule: string; failures: number }[]>`
      SELECT r AS rule, count(*)::int AS failures
      FROM constitutional_decisions, unnest("failedRules") AS r
      WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}
      GROUP BY r ORDER BY failures DESC, r LIMIT 10`,
    db.$queryRaw<{ waiver: string; decisions: number }[]>`
      SELECT w AS waiver, count(*)::int AS decisions
      FROM constitutional_decisions, unnest("appliedWaiverIds") AS w
      WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}
      GROUP BY w ORDER BY decisions DESC, w LIMIT 10`,
    db.$queryRaw<{ decisions: number; with_waiver: number; p95_ms: number | null }[]>`
      SELECT count(*)::int AS decisions, count(*) FILTER (WHERE cardinality("appliedWaiverIds") > 0)::int AS with_waiver,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY "evaluationMs") AS p95_ms
      FROM constitutional_decisions WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${since}`,
  ]);
  return { perDay, failedRules, waiverUse, totals: totals[0]! };
}
