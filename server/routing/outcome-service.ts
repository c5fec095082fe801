// Outcome reports: a batch of a tenant's outcomes (group commit, see tenant-batches.ts) updates the
// tasks, the agents' load, the bandit arms, the performance records and the hourly roll-up in one
// statement, then offers the freed slots to waiting tasks.
import { Prisma } from "@/server/db/generated/client";
import { queryRows, type SqlDb } from "@/server/db/direct-sql";
import { inTransaction } from "@/server/db/transaction";
import { Conflict, NotFound } from "@/server/errors";
import { adjustCachedAgent } from "@/server/registry/candidate-pool";
import { recordBudgetCrossings } from "@/server/constitution/budget-events";
import { applyOutcome as armAfterOutcome, rewardOf } from "./bandit";
import { bucketIndex, BUCKET_COUNT } from "./latency-histogram";
import { effectivePolicy } from "./policy-service";
import { systemRng, type Rng } from "./random";
import type { RoutableTask } from "./router";
import type { OutcomeInput } from "./task-schemas";
import { placeTasks, waitingTasksQuery } from "./task-service";
import { hourOf } from "./assignment";

export type ReportedOutcome = Awaited<ReturnType<typeof reportOutcomes>>[number];

/** A task an outcome names, read with its agent locked. */
interface HeldTask {
  id: string;
  type: string;
  agentId: string | null;
  assignedAt: Date | null;
  status: string;
}

const OPEN_STATUSES = new Set(["assigned", "running"]);

/**
 * Reports outcomes of a tenant's tasks in one transaction and one statement: each task's outcome,
 * and per agent and task type the freed load, the bandit arm, the performance record and the
 * hourly roll-up, summed over the batch (outcomes applied one after another at the same `now` give
 * the same arm: a second decay over zero time is 1). The agents holding the tasks are locked
 * first, in id order (so a batch cannot deadlock with another batch or a submission batch over
 * them), by the same statement that reads the tasks. An outcome that cannot apply (unknown task,
 * task not assigned or running, a second outcome for a task in the batch) fails the batch; group
 * commit then reports each outcome alone, where it gets its own error.
 */
export async function reportOutcomes(db: SqlDb, tenantId: string, inputs: readonly OutcomeInput[], { now = new Date(), rng = systemRng }: { now?: Date; rng?: Rng } = {}) {
  return inTransaction(db, async (tx) => {
    const taskIds = inputs.map((i) => i.taskId);
    // Raw SQL on the outcome path: a Prisma model query costs ~0.5 ms of query compilation per call.
    const tasks = await queryRows<HeldTask[]>(tx, Prisma.sql`
      WITH locked AS MATERIALIZED (
        SELECT id FROM agents WHERE id IN (SELECT "agentId" FROM tasks WHERE id = ANY(${taskIds}::text[]) AND "tenantId" = ${tenantId}) ORDER BY id FOR UPDATE
      )
      SELECT id, type, "agentId", "assignedAt", status::text AS status, (SELECT count(*) FROM locked) AS locked
      FROM tasks WHERE id = ANY(${taskIds}::text[]) AND "tenantId" = ${tenantId}`);
    const held = new Map(tasks.map((t) => [t.id, t]));
    const applied = [];
    for (const input of inputs) {
      const task = held.get(input.taskId);
      if (!task) throw new NotFound("Task not found");
      if (!OPEN_STATUSES.has(task.status) || !task.agentId) throw new Conflict(`Cannot report an outcome for a task that is ${task.status}`);
      const policy = await effectivePolicy(tx, tenantId, task.type);
      applied.push({ input, task: { ...task, agentId: task.agentId }, policy, reward: rewardOf({ success: input.success, quality: input.quality ?? null }, policy.qualityWeighted) });
      task.status = input.success ? "succeeded" : "failed"; // a second outcome for it in this batch is refused
    }

    const waiting = await applyOutcomes(tx, tenantId, applied, now);
    for (const { task, reward, policy } of applied) {
      await adjustCachedAgent(tenantId, task.agentId, (agent, type) => {
        agent.activeTasks = Math.max(0, agent.activeTasks - 1);
        if (type === task.type) agent.arm = armAfterOutcome(agent.arm, reward, now, policy.decayHalfLifeHours);
      });
    }
    for (const type of new Set(applied.filter((a) => (a.input.cost ?? 0) > 0).map((a) => a.task.type))) {
      await inTransaction(tx, (t) => recordBudgetCrossings(t, tenantId, type, undefined, now));
    }
    await placeTasks(tx, tenantId, waiting, { now, rng });
    return applied.map(({ input, reward }) => ({ taskId: input.taskId, status: input.success ? ("succeeded" as const) : ("failed" as const), reward }));
  });
}

interface AppliedOutcome {
  input: OutcomeInput;
  task: HeldTask & { agentId: string };
  policy: { decayHalfLifeHours: number };
  reward: number;
}

/** Sums per key, in first-seen order. */
function groupBy<T, G>(items: readonly T[], keyOf: (item: T) => string, start: (item: T) => G, add: (group: G, item: T) => void): G[] {
  const groups = new Map<string, G>();
  for (const item of items) {
    const key = keyOf(item);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = start(item)));
    add(group, item);
  }
  return [...groups.values()];
}

/** The statement of reportOutcomes; returns the waiting tasks to offer the freed slots to. */
async function applyOutcomes(db: SqlDb, tenantId: string, applied: readonly AppliedOutcome[], now: Date): Promise<RoutableTask[]> {
  const outcomes = applied.map(({ input }) => ({
    task_id: input.taskId,
    status: input.success ? "succeeded" : "failed",
    success: input.success,
    quality: input.quality ?? null,
    latency_ms: input.latencyMs,
    cost: input.cost ?? null,
    tokens: input.tokens ?? null,
    error: input.error ?? null,
  }));
  // Per agent and task type: the arm and the performance record.
  const arms = groupBy(
    applied,
    (a) => `${a.task.agentId}\u0000${a.task.type}`,
    (a) => ({ agent_id: a.task.agentId, task_type: a.task.type, half_life: a.policy.decayHalfLifeHours, n: 0, successes: 0, reward_sum: 0, quality_sum: 0, quality_count: 0, buckets: new Array<number>(BUCKET_COUNT).fill(0) }),
    (g, a) => {
      g.n += 1;
      g.successes += a.input.success ? 1 : 0;
      g.reward_sum += a.reward;
      g.quality_sum += a.input.quality ?? 0;
      g.quality_count += a.input.quality === undefined ? 0 : 1;
      g.buckets[bucketIndex(a.input.latencyMs)]! += 1;
    },
  );
  // Per hour of assignment, task type and agent: the roll-up row the decision was counted in.
  const stats = groupBy(
    applied.filter((a) => a.task.assignedAt !== null),
    (a) => `${hourOf(a.task.assignedAt!).toISOString()}\u0000${a.task.type}\u0000${a.task.agentId}`,
    (a) => ({ hour: hourOf(a.task.assignedAt!), task_type: a.task.type, agent_id: a.task.agentId, n: 0, successes: 0, reward_sum: 0, quality_sum: 0, quality_count: 0 }),
    (g, a) => {
      g.n += 1;
      g.successes += a.input.success ? 1 : 0;
      g.reward_sum += a.reward;
      g.quality_sum += a.input.quality ?? 0;
      g.quality_count += a.input.quality === undefined ? 0 : 1;
    },
  );
  const freedByType = groupBy(applied, (a) => a.task.type, (a) => ({ task_type: a.task.type, n: 0 }), (g) => (g.n += 1));
  const taskIds = applied.map((a) => a.input.taskId);
  const agentIds = [...new Set(applied.map((a) => a.task.agentId))];
  // Records travel as JSON parameters (one statement text, one prepared plan, for any batch size);
  // the id arrays repeat what the JSON holds so that the plan reaches rows by primary key.
  const [result] = await queryRows<{ updated: bigint; waiting: RoutableTask[] }[]>(db, Prisma.sql`
    WITH o AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(outcomes)}::json) AS o(task_id text, status "TaskStatus", success boolean, quality float8,
        latency_ms int, cost float8, tokens int, error text)
    ), g AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(arms)}::json) AS g(agent_id text, task_type text, half_life float8, n int, successes int,
        reward_sum float8, quality_sum float8, quality_count int, buckets int[])
    ), t AS (
      UPDATE tasks SET status = o.status, success = o.success, quality = o.quality, "latencyMs" = o.latency_ms, cost = o.cost, tokens = o.tokens,
        error = o.error, progress = CASE WHEN o.success THEN 1 ELSE tasks.progress END, "completedAt" = ${now},
        "startedAt" = COALESCE(tasks."startedAt", tasks."assignedAt")
      FROM o WHERE tasks.id = ANY(${taskIds}::text[]) AND tasks.id = o.task_id AND tasks."tenantId" = ${tenantId} AND tasks.status IN ('assigned', 'running')
      RETURNING tasks.id
    ), freed AS (
      UPDATE agents SET "activeTasks" = GREATEST(agents."activeTasks" - f.n, 0)
      FROM (SELECT agent_id, sum(n)::int AS n FROM g GROUP BY agent_id) f
      WHERE agents.id = ANY(${agentIds}::text[]) AND agents.id = f.agent_id
      RETURNING 1
    ), arm AS (
      UPDATE bandit_arms SET
        pulls = bandit_arms.pulls * f.factor + f.n,
        "rewardSum" = bandit_arms."rewardSum" * f.factor + f.reward_sum,
        pending = GREATEST(bandit_arms.pending - f.n, 0),
        "updatedAt" = ${now}
      FROM (SELECT g.agent_id, g.task_type, g.n, g.reward_sum,
              CASE WHEN g.half_life > 0
                THEN power(0.5, GREATEST(extract(epoch FROM (${now}::timestamptz - b."updatedAt")), 0) / 3600.0 / g.half_life)
                ELSE 1 END AS factor
            FROM g JOIN bandit_arms b ON b."agentId" = g.agent_id AND b."taskType" = g.task_type) f
      WHERE bandit_arms."agentId" = ANY(${agentIds}::text[]) AND bandit_arms."agentId" = f.agent_id AND bandit_arms."taskType" = f.task_type
      RETURNING 1
    ), perf AS (
      INSERT INTO agent_performance ("agentId", "taskType", "tenantId", tasks, successes, "qualitySum", "qualityCount", "latencyBuckets", "updatedAt")
      SELECT agent_id, task_type, ${tenantId}, n, successes, quality_sum, quality_count, buckets, ${now} FROM g
      ON CONFLICT ("agentId", "taskType") DO UPDATE SET
        tasks = agent_performance.tasks + EXCLUDED.tasks,
        successes = agent_performance.successes + EXCLUDED.successes,
        "qualitySum" = agent_performance."qualitySum" + EXCLUDED."qualitySum",
        "qualityCount" = agent_performance."qualityCount" + EXCLUDED."qualityCount",
        "latencyBuckets" = ARRAY(SELECT COALESCE(old, 0) + COALESCE(new, 0)
          FROM unnest(agent_performance."latencyBuckets", EXCLUDED."latencyBuckets") WITH ORDINALITY AS u(old, new, i) ORDER BY i),
        "updatedAt" = EXCLUDED."updatedAt"
      RETURNING 1
    ), stats AS (
      UPDATE routing_stats_hourly SET
        outcomes = outcomes + s.n,
        successes = routing_stats_hourly.successes + s.successes,
        "rewardSum" = "rewardSum" + s.reward_sum,
        "qualitySum" = "qualitySum" + s.quality_sum,
        "qualityCount" = "qualityCount" + s.quality_count
      FROM json_to_recordset(${JSON.stringify(stats)}::json) AS s(hour timestamptz, task_type text, agent_id text, n int, successes int,
        reward_sum float8, quality_sum float8, quality_count int)
      WHERE routing_stats_hourly."tenantId" = ${tenantId} AND routing_stats_hourly."agentId" = ANY(${agentIds}::text[])
        AND routing_stats_hourly.hour = s.hour AND routing_stats_hourly."taskType" = s.task_type AND routing_stats_hourly."agentId" = s.agent_id
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM t) AS updated, (SELECT count(*) FROM freed) AS freed, (SELECT count(*) FROM arm) AS arms,
           (SELECT count(*) FROM perf) AS perf, (SELECT count(*) FROM stats) AS stats,
           -- The tasks of each type waiting longest, one per slot just freed (same round trip).
           (SELECT COALESCE(json_agg(w), '[]'::json)
            FROM json_to_recordset(${JSON.stringify(freedByType)}::json) AS ft(task_type text, n int),
                 LATERAL (${waitingTasksQuery(tenantId, Prisma.sql`ft.task_type`, Prisma.sql`ft.n`)}) w) AS waiting`);
  // The tasks were read with their agents locked, but a task can still have changed since (cancelled):
  // then the batch fails and each outcome is reported alone.
  if (Number(result!.updated) !== applied.length) throw new Conflict("A task changed while its outcome was being reported");
  return result!.waiting;
}
