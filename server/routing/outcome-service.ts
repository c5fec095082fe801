// Outcome reports: each updates the task, the agent's load, the bandit arm, the performance record
// and the hourly roll-up in one statement, then offers the freed slot to a waiting task. Several
// outcomes of a tenant can be applied in one transaction (group commit, see tenant-batches.ts).
import { Prisma } from "@/server/db/generated/client";
import { queryRows, type SqlDb } from "@/server/db/direct-sql";
import { inTransaction } from "@/server/db/transaction";
import { NotFound } from "@/server/errors";
import { adjustCachedAgent } from "@/server/registry/candidate-pool";
import { recordBudgetCrossings } from "@/server/constitution/budget-events";
import { applyOutcome as armAfterOutcome, rewardOf } from "./bandit";
import { bucketIndex, BUCKET_COUNT } from "./latency-histogram";
import { effectivePolicy } from "./policy-service";
import { systemRng, type Rng } from "./random";
import type { RoutableTask } from "./router";
import type { OutcomeInput } from "./task-schemas";
import { explainMissing, placeTasks, waitingTasksQuery } from "./task-service";

export type ReportedOutcome = Awaited<ReturnType<typeof applyOutcome>>;

/**
 * Reports outcomes of a tenant's tasks, in order, in one transaction. The agents holding the tasks
 * are locked first, in id order (so a batch cannot deadlock with another batch or a submission
 * batch over them), by the same statement that reads the tasks' types.
 */
export async function reportOutcomes(db: SqlDb, tenantId: string, inputs: readonly OutcomeInput[], { now = new Date(), rng = systemRng }: { now?: Date; rng?: Rng } = {}) {
  return inTransaction(db, async (tx) => {
    const taskIds = inputs.map((i) => i.taskId);
    // Raw SQL on the outcome path: a Prisma model query costs ~0.5 ms of query compilation per call.
    const tasks = await queryRows<{ id: string; type: string }[]>(tx, Prisma.sql`
      WITH locked AS MATERIALIZED (
        SELECT id FROM agents WHERE id IN (SELECT "agentId" FROM tasks WHERE id = ANY(${taskIds}::text[]) AND "tenantId" = ${tenantId}) ORDER BY id FOR UPDATE
      )
      SELECT id, type, (SELECT count(*) FROM locked) AS locked FROM tasks WHERE id = ANY(${taskIds}::text[]) AND "tenantId" = ${tenantId}`);
    const typeOf = new Map(tasks.map((t) => [t.id, t]));
    const reported = [];
    for (const input of inputs) reported.push(await applyOutcome(tx, tenantId, input, typeOf.get(input.taskId), { now, rng }));
    return reported;
  });
}

async function applyOutcome(db: SqlDb, tenantId: string, input: OutcomeInput, task: { type: string } | undefined, { now, rng }: { now: Date; rng: Rng }) {
  if (!task) throw new NotFound("Task not found");
  const policy = await effectivePolicy(db, tenantId, task.type);
  const quality = input.quality ?? null;
  const reward = rewardOf({ success: input.success, quality }, policy.qualityWeighted);
  const latencyBucket = bucketIndex(input.latencyMs) + 1;
  const latencyOneHot = new Array<number>(BUCKET_COUNT).fill(0);
  latencyOneHot[latencyBucket - 1] = 1;
  const rows = await queryRows<{ agentId: string; type: string; waiting: RoutableTask[] }[]>(db, Prisma.sql`
    WITH t AS (
      UPDATE tasks SET status = ${input.success ? "succeeded" : "failed"}::"TaskStatus", success = ${input.success}, quality = ${quality},
        "latencyMs" = ${input.latencyMs}, cost = ${input.cost ?? null}, tokens = ${input.tokens ?? null}, error = ${input.error ?? null},
        progress = CASE WHEN ${input.success} THEN 1 ELSE progress END, "completedAt" = ${now}, "startedAt" = COALESCE("startedAt", "assignedAt")
      WHERE id = ${input.taskId} AND "tenantId" = ${tenantId} AND status IN ('assigned', 'running')
      RETURNING "agentId", type, "assignedAt"
    ), freed AS (
      UPDATE agents SET "activeTasks" = GREATEST("activeTasks" - 1, 0) WHERE id = (SELECT "agentId" FROM t) RETURNING 1
    ), arm AS (
      UPDATE bandit_arms SET
        pulls = pulls * f.factor + 1,
        "rewardSum" = "rewardSum" * f.factor + ${reward},
        pending = GREATEST(pending - 1, 0),
        "updatedAt" = ${now}
      FROM (SELECT CASE WHEN ${policy.decayHalfLifeHours}::float8 > 0
              THEN power(0.5, GREATEST(extract(epoch FROM (${now}::timestamptz - b."updatedAt")), 0) / 3600.0 / ${policy.decayHalfLifeHours}::float8)
              ELSE 1 END AS factor, b."agentId", b."taskType"
            FROM bandit_arms b JOIN t ON b."agentId" = t."agentId" AND b."taskType" = t.type) f
      WHERE bandit_arms."agentId" = f."agentId" AND bandit_arms."taskType" = f."taskType"
      RETURNING 1
    ), perf AS (
      INSERT INTO agent_performance ("agentId", "taskType", "tenantId", tasks, successes, "qualitySum", "qualityCount", "latencyBuckets", "updatedAt")
      SELECT t."agentId", t.type, ${tenantId}, 1, ${input.success ? 1 : 0}, ${quality ?? 0}, ${quality === null ? 0 : 1}, ${latencyOneHot}::int[], ${now} FROM t
      ON CONFLICT ("agentId", "taskType") DO UPDATE SET
        tasks = agent_performance.tasks + 1,
        successes = agent_performance.successes + EXCLUDED.successes,
        "qualitySum" = agent_performance."qualitySum" + EXCLUDED."qualitySum",
        "qualityCount" = agent_performance."qualityCount" + EXCLUDED."qualityCount",
        "latencyBuckets"[${latencyBucket}] = COALESCE(agent_performance."latencyBuckets"[${latencyBucket}], 0) + 1,
        "updatedAt" = EXCLUDED."updatedAt"
      RETURNING 1
    ), stats AS (
      UPDATE routing_stats_hourly SET
        outcomes = outcomes + 1,
        successes = successes + ${input.success ? 1 : 0},
        "rewardSum" = "rewardSum" + ${reward},
        "qualitySum" = "qualitySum" + ${quality ?? 0},
        "qualityCount" = "qualityCount" + ${quality === null ? 0 : 1}
      -- The key as one row from t, so the (prepared, generic) plan looks the row up by primary key.
      WHERE (routing_stats_hourly."tenantId", routing_stats_hourly.hour, routing_stats_hourly."taskType", routing_stats_hourly."agentId")
        = (SELECT ${tenantId}::text, date_trunc('hour', t."assignedAt" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', t.type, t."agentId" FROM t)
      RETURNING 1
    )
    SELECT t."agentId", t.type, (SELECT count(*) FROM freed) AS freed, (SELECT count(*) FROM arm) AS arms,
           (SELECT count(*) FROM perf) AS perf, (SELECT count(*) FROM stats) AS stats,
           -- The task of this type waiting longest for the slot just freed (same round trip).
           (SELECT COALESCE(json_agg(w), '[]'::json) FROM (${waitingTasksQuery(tenantId, Prisma.sql`t.type`, 1)}) w) AS waiting
    FROM t`);
  const done = rows[0];
  if (!done) return explainMissing(db, tenantId, input.taskId, "report an outcome for");
  await adjustCachedAgent(tenantId, done.agentId, (agent, type) => {
    agent.activeTasks = Math.max(0, agent.activeTasks - 1);
    if (type === done.type) agent.arm = armAfterOutcome(agent.arm, reward, now, policy.decayHalfLifeHours);
  });
  if ((input.cost ?? 0) > 0) await inTransaction(db, (tx) => recordBudgetCrossings(tx, tenantId, done.type, undefined, now));
  await placeTasks(db, tenantId, done.waiting, { now, rng });
  return { taskId: input.taskId, status: input.success ? ("succeeded" as const) : ("failed" as const), reward };
}

