// Routing metrics for a tenant, aggregated in SQL over the hourly roll-up (routing_stats_hourly),
// so the cost grows with hours x agents, not with the number of decisions.
import { decodeCandidates } from "./candidate-record";
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { BUCKET_COUNT, percentileFromBuckets } from "./latency-histogram";

/** sum("latencyBuckets"[1]) AS b1, ... — built from a constant, never from input. */
const LATENCY_SUMS = Prisma.raw(Array.from({ length: BUCKET_COUNT }, (_, i) => `sum("latencyBuckets"[${i + 1}]) AS b${i + 1}`).join(", "));

export interface MetricsQuery {
  tenantId: string;
  from: Date;
  to: Date;
  taskType?: string;
  bucket: "hour" | "day";
}

export async function routingMetrics(db: Db, q: MetricsQuery) {
  const typeFilter = q.taskType ? Prisma.sql`AND "taskType" = ${q.taskType}` : Prisma.empty;
  const scope = Prisma.sql`"tenantId" = ${q.tenantId} AND hour >= ${q.from} AND hour < ${q.to} ${typeFilter}`;
  const unit = q.bucket === "day" ? "day" : "hour";

  const [overTime, perAgent, latency, regret] = await Promise.all([
    db.$queryRaw<{ bucket: Date; decisions: bigint; assigned: bigint; waiting: bigint; rejected: bigint; explored: bigint }[]>`
      SELECT date_trunc(${unit}, hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
             sum(decisions) AS decisions, sum(assigned) AS assigned, sum(waiting) AS waiting, sum(rejected) AS rejected, sum(explored) AS explored
      FROM routing_stats_hourly WHERE ${scope} GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<{ agentId: string; name: string | null; assigned: bigint; outcomes: bigint; successes: bigint; rewardSum: number; qualitySum: number; qualityCount: bigint }[]>`
      SELECT s."agentId", a.name, sum(s.assigned) AS assigned, sum(s.outcomes) AS outcomes, sum(s.successes) AS successes,
             sum(s."rewardSum") AS "rewardSum", sum(s."qualitySum") AS "qualitySum", sum(s."qualityCount") AS "qualityCount"
      FROM routing_stats_hourly s LEFT JOIN agents a ON a.id = s."agentId"
      WHERE s."agentId" <> '' AND s."tenantId" = ${q.tenantId} AND s.hour >= ${q.from} AND s.hour < ${q.to}
        ${q.taskType ? Prisma.sql`AND s."taskType" = ${q.taskType}` : Prisma.empty}
      GROUP BY s."agentId", a.name ORDER BY sum(s.assigned) DESC`,
    // One aggregate pass with a sum per bucket (3x faster than unnest + GROUP BY on 100k+ rows).
    db.$queryRaw<Record<string, bigint | null>[]>`SELECT ${LATENCY_SUMS} FROM routing_stats_hourly WHERE ${scope}`,
    db.$queryRaw<{ bucket: Date; regret: number; outcomes: bigint }[]>`
      WITH s AS (SELECT hour, "taskType", "agentId", outcomes, "rewardSum" FROM routing_stats_hourly WHERE ${scope} AND "agentId" <> '' AND outcomes > 0),
      agent_means AS (
        SELECT "taskType", "agentId", sum("rewardSum") / sum(outcomes) AS mean
        FROM s GROUP BY 1, 2 HAVING sum(outcomes) > 0
      ),
      best AS (SELECT "taskType", max(mean) AS mu FROM agent_means GROUP BY 1)
      SELECT date_trunc(${unit}, s.hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
             sum(best.mu * s.outcomes - s."rewardSum") AS regret, sum(s.outcomes) AS outcomes
      FROM s JOIN best ON best."taskType" = s."taskType"
      GROUP BY 1 ORDER BY 1`,
  ]);

  const buckets = Array.from({ length: BUCKET_COUNT }, (_, i) => Number(latency[0]?.[`b${i + 1}`] ?? 0));
  const totals = overTime.reduce(
    (acc, r) => ({ decisions: acc.decisions + Number(r.decisions), assigned: acc.assigned + Number(r.assigned), explored: acc.explored + Number(r.explored) }),
    { decisions: 0, assigned: 0, explored: 0 },
  );
  const slots = timeSlots(q.from, q.to, q.bucket);
  const overTimeBy = new Map(overTime.map((r) => [r.bucket.getTime(), r]));
  const regretBy = new Map(regret.map((r) => [r.bucket.getTime(), r]));
  let cumulative = 0;
  return {
    totals: {
      ...totals,
      explorationRate: totals.assigned > 0 ? totals.explored / totals.assigned : null,
      routingP50Ms: percentileFromBuckets(buckets, 0.5),
      routingP95Ms: percentileFromBuckets(buckets, 0.95),
    },
    // Every slot of the range is present, empty ones as zeros, so charts show quiet periods.
    overTime: slots.map((bucket) => {
      const r = overTimeBy.get(bucket.getTime());
      const assigned = Number(r?.assigned ?? 0);
      return {
        bucket,
        decisions: Number(r?.decisions ?? 0),
        assigned,
        waiting: Number(r?.waiting ?? 0),
        rejected: Number(r?.rejected ?? 0),
        explorationRate: assigned > 0 ? Number(r?.explored ?? 0) / assigned : 0,
      };
    }),
    perAgent: perAgent.map((r) => ({
      agentId: r.agentId,
      name: r.name ?? r.agentId,
      assigned: Number(r.assigned),
      share: totals.assigned > 0 ? Number(r.assigned) / totals.assigned : 0,
      outcomes: Number(r.outcomes),
      successRate: Number(r.outcomes) > 0 ? Number(r.successes) / Number(r.outcomes) : null,
      avgQuality: Number(r.qualityCount) > 0 ? r.qualitySum / Number(r.qualityCount) : null,
      meanReward: Number(r.outcomes) > 0 ? r.rewardSum / Number(r.outcomes) : null,
    })),
    regret:
      regret.length === 0
        ? []
        : slots.map((bucket) => {
            const r = regretBy.get(bucket.getTime());
            cumulative += r?.regret ?? 0;
            return { bucket, regret: r?.regret ?? 0, cumulativeRegret: cumulative, outcomes: Number(r?.outcomes ?? 0) };
          }),
  };
}

export interface DecisionListQuery {
  tenantId: string;
  from?: Date;
  to?: Date;
  taskType?: string;
  cursor?: string;
  limit: number;
}

export async function listDecisions(db: Db, q: DecisionListQuery) {
  let cursorFilter = {};
  if (q.cursor) {
    const [at, id] = q.cursor.split("|");
    const createdAt = new Date(at ?? "");
    if (!Number.isNaN(createdAt.getTime()) && id) {
      cursorFilter = { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
    }
  }
  const rows = await db.routingDecision.findMany({
    where: {
      tenantId: q.tenantId,
      ...(q.taskType ? { taskType: q.taskType } : {}),
      ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      ...cursorFilter,
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: {
      id: true,
      taskId: true,
      taskType: true,
      strategy: true,
      chosenAgentId: true,
      result: true,
      explored: true,
      selectionProbability: true,
      decisionMs: true,
      createdAt: true,
    },
  });
  const page = rows.slice(0, q.limit);
  const names = await agentNames(db, q.tenantId, page.map((d) => d.chosenAgentId));
  const last = page[page.length - 1];
  return {
    items: page.map((d) => ({ ...d, chosenAgentName: d.chosenAgentId ? (names.get(d.chosenAgentId) ?? d.chosenAgentId) : null })),
    nextCursor: rows.length > q.limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null,
  };
}

export async function getDecision(db: Db, tenantId: string, decisionId: string) {
  const d = await db.routingDecision.findFirst({ where: { id: decisionId, tenantId } });
  if (!d) return null;
  const task = await db.task.findFirst({
    where: { id: d.taskId, tenantId },
    select: { id: true, status: true, success: true, quality: true, latencyMs: true, completedAt: true },
  });
  const names = await agentNames(db, tenantId, [d.chosenAgentId]);
  const { candidatesPacked, candidates, ...record } = d;
  return { ...record, candidates: decodeCandidates(candidatesPacked, candidates), chosenAgentName: d.chosenAgentId ? (names.get(d.chosenAgentId) ?? null) : null, task };
}

async function agentNames(db: Db, tenantId: string, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map<string, string>();
  const agents = await db.agent.findMany({ where: { tenantId, id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(agents.map((a) => [a.id, a.name]));
}

/** The bucket starts (UTC) covering [from, to). */
export function timeSlots(from: Date, to: Date, bucket: "hour" | "day"): Date[] {
  const step = bucket === "hour" ? 3_600_000 : 86_400_000;
  const start = new Date(from);
  if (bucket === "day") start.setUTCHours(0, 0, 0, 0);
  else start.setUTCMinutes(0, 0, 0);
  const out: Date[] = [];
  for (let t = start.getTime(); t < to.getTime(); t += step) out.push(new Date(t));
  return out;
}
