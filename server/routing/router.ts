// Routes one task: load the capable pool, let the bandit choose, and assign atomically. The
// assignment, the decision record, the arm's pending count and the hourly roll-up are written by a
// single SQL statement, which only claims an agent below its capacity and only assigns a task that
// is still submitted; a lost race on an agent excludes it and the bandit chooses again.
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { queryRows } from "@/server/db/direct-sql";
import { adjustCachedAgent, loadPoolCached, sortPool, type Exclusion } from "@/server/registry/candidate-pool";
import { chooseAgent, type BanditChoice } from "./bandit";
import { effectivePolicy } from "./policy-service";
import { BUCKET_COUNT, bucketIndex } from "./latency-histogram";
import type { Rng } from "./random";

export interface RoutableTask {
  id: string;
  tenantId: string;
  type: string;
  requiredLanguages: string[];
  requiredSpecializations: string[];
  minProficiency: number;
}

export type RouteResult =
  | { result: "assigned"; decisionId: string; agentId: string; agentName: string; explored: boolean }
  | { result: "waiting" | "rejected"; decisionId: string; reason: string }
  | { result: "not_routable"; reason: string };

const MAX_ATTEMPTS = 5;

export interface RouteOptions {
  /** When false, a task that still cannot be placed is left as it is, with no new decision
   *  recorded (used when retrying waiting tasks after capacity frees up). */
  recordUnplaced?: boolean;
}

export async function routeTask(db: Db, task: RoutableTask, now: Date, rng: Rng, { recordUnplaced = true }: RouteOptions = {}): Promise<RouteResult> {
  const started = performance.now();
  const policy = await effectivePolicy(db, task.tenantId, task.type);
  const { agents, registered } = await loadPoolCached(db, task.tenantId, task.type);
  const requirement = {
    taskType: task.type,
    languages: task.requiredLanguages,
    specializations: task.requiredSpecializations,
    minProficiency: task.minProficiency,
    maxUtilization: 1,
    minSuccessRate: 0,
  };
  const { candidates, excluded } = sortPool(agents, requirement, policy.heartbeatTimeoutSeconds, now);
  const notCapableCount = registered - agents.length;
  const policyRecord = { ...policy };

  let remaining = candidates;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && remaining.length > 0; attempt++) {
    const choice = chooseAgent(
      remaining.map((c) => ({ agentId: c.agent.id, name: c.agent.name, match: c.match, utilization: c.utilization, arm: c.agent.arm })),
      policy,
      now,
      rng,
    )!;
    const decisionMs = performance.now() - started;
    const decisionId = randomUUID();
    const assigned = await assignAtomically(db, task, choice, {
      decisionId,
      strategy: policy.strategy,
      decisionMs,
      now,
      policy: policyRecord,
      excluded,
      notCapableCount,
      reason: `${policy.strategy} chose ${choice.chosen.name} (score ${choice.chosen.score.toFixed(3)}) among ${remaining.length} candidate(s)`,
    });
    if (assigned === "assigned") {
      await adjustCachedAgent(task.tenantId, choice.chosen.agentId, (agent, type) => {
        agent.activeTasks += 1;
        if (type === task.type) agent.arm.pending += 1;
      });
      return { result: "assigned", decisionId, agentId: choice.chosen.agentId, agentName: choice.chosen.name, explored: choice.explored };
    }
    if (assigned === "task_gone") return { result: "not_routable", reason: "the task is no longer waiting to be routed" };
    // The agent filled up (or changed status) between reading and claiming: try the others, and
    // let this process's cached view know it is full until the next refresh.
    await adjustCachedAgent(task.tenantId, choice.chosen.agentId, (agent) => {
      agent.activeTasks = Math.max(agent.activeTasks, agent.maxConcurrentTasks);
    });
    excluded.push({ agentId: choice.chosen.agentId, name: choice.chosen.name, kind: "capacity", reason: "filled up while routing" });
    remaining = remaining.filter((c) => c.agent.id !== choice.chosen.agentId);
  }

  if (!recordUnplaced) return { result: "not_routable", reason: "still no agent can take it" };
  const noCapable = agents.length === 0 || excluded.every((e) => e.kind === "capability" || e.kind === "status" || e.kind === "heartbeat");
  const reason = noCapable
    ? agents.length === 0
      ? `no registered agent takes ${task.type} tasks`
      : "no capable agent is available"
    : "all capable agents are at capacity";
  const result = policy.noCandidateAction === "reject" ? "rejected" : "waiting";
  const decisionId = randomUUID();
  const recorded = await recordUnassigned(db, task, {
    decisionId,
    result,
    reason,
    decisionMs: performance.now() - started,
    now,
    policy: policyRecord,
    strategy: policy.strategy,
    excluded,
    notCapableCount,
  });
  if (!recorded) return { result: "not_routable", reason: "the task is no longer waiting to be routed" };
  return { result, decisionId, reason };
}

interface DecisionRecord {
  decisionId: string;
  strategy: string;
  decisionMs: number;
  now: Date;
  policy: object;
  excluded: Exclusion[];
  notCapableCount: number;
  reason: string;
}

function hourOf(now: Date): Date {
  const h = new Date(now);
  h.setUTCMinutes(0, 0, 0);
  return h;
}

function oneHot(index: number): number[] {
  const buckets = new Array<number>(BUCKET_COUNT).fill(0);
  buckets[index] = 1;
  return buckets;
}

async function assignAtomically(
  db: Db,
  task: RoutableTask,
  choice: BanditChoice,
  d: DecisionRecord,
): Promise<"assigned" | "agent_full" | "task_gone"> {
  const agentId = choice.chosen.agentId;
  const bucket = bucketIndex(d.decisionMs) + 1; // SQL arrays are 1-based
  const candidates = choice.scored.map((s) => ({
    agentId: s.agentId,
    name: s.name,
    score: round(s.score),
    mean: round(s.mean),
    bonus: round(s.bonus),
    loadPenalty: round(s.loadPenalty),
    match: round(s.match),
    pulls: round(s.pulls),
    evidenceWeight: round(s.evidenceWeight),
  }));
  const rows = await queryRows<{ claimed_task: bigint; assigned: bigint }[]>(db, Prisma.sql`
    WITH t AS (
      SELECT id FROM tasks WHERE id = ${task.id} AND status = 'submitted' FOR UPDATE
    ), claimed AS (
      UPDATE agents SET "activeTasks" = "activeTasks" + 1
      WHERE id = ${agentId} AND "tenantId" = ${task.tenantId} AND status = 'available'
        AND "unregisteredAt" IS NULL AND "activeTasks" < "maxConcurrentTasks" AND EXISTS (SELECT 1 FROM t)
      RETURNING id
    ), assigned AS (
      UPDATE tasks SET status = 'assigned', "agentId" = ${agentId}, "decisionId" = ${d.decisionId},
        "routedAt" = ${d.now}, "assignedAt" = ${d.now}, "statusReason" = NULL
      WHERE id IN (SELECT id FROM t) AND EXISTS (SELECT 1 FROM claimed)
      RETURNING id
    ), arm AS (
      INSERT INTO bandit_arms ("tenantId", "agentId", "taskType", pulls, "rewardSum", pending, "updatedAt")
      SELECT ${task.tenantId}, ${agentId}, ${task.type}, 0, 0, 1, ${d.now} WHERE EXISTS (SELECT 1 FROM assigned)
      ON CONFLICT ("agentId", "taskType") DO UPDATE SET pending = bandit_arms.pending + 1
      RETURNING 1
    ), decision AS (
      INSERT INTO routing_decisions (id, "tenantId", "taskId", "taskType", strategy, policy, "chosenAgentId", result, reason,
        explored, "selectionProbability", candidates, excluded, "notCapableCount", "decisionMs", "createdAt")
      SELECT ${d.decisionId}, ${task.tenantId}, ${task.id}, ${task.type}, ${d.strategy}::"RoutingStrategy",
        ${JSON.stringify(d.policy)}::jsonb, ${agentId}, 'assigned', ${d.reason}, ${choice.explored}, ${choice.selectionProbability},
        ${JSON.stringify(candidates)}::jsonb, ${JSON.stringify(d.excluded)}::jsonb, ${d.notCapableCount}, ${d.decisionMs}, ${d.now}
      WHERE EXISTS (SELECT 1 FROM assigned)
      RETURNING 1
    ), stats AS (
      -- Counted at once: the chosen agent's row is locked by this transaction anyway (claimed).
      INSERT INTO routing_stats_hourly ("tenantId", hour, "taskType", "agentId", decisions, explored, assigned, "decisionMsSum", "latencyBuckets")
      SELECT ${task.tenantId}, ${hourOf(d.now)}, ${task.type}, ${agentId}, 1, ${choice.explored ? 1 : 0}, 1, ${d.decisionMs},
        ${oneHot(bucket - 1)}::int[]
      WHERE EXISTS (SELECT 1 FROM assigned)
      ON CONFLICT ("tenantId", hour, "taskType", "agentId") DO UPDATE SET
        decisions = routing_stats_hourly.decisions + 1,
        explored = routing_stats_hourly.explored + EXCLUDED.explored,
        assigned = routing_stats_hourly.assigned + 1,
        "decisionMsSum" = routing_stats_hourly."decisionMsSum" + EXCLUDED."decisionMsSum",
        "latencyBuckets"[${bucket}] = COALESCE(routing_stats_hourly."latencyBuckets"[${bucket}], 0) + 1
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM t) AS claimed_task, (SELECT count(*) FROM claimed) AS claimed,
           (SELECT count(*) FROM assigned) AS assigned, (SELECT count(*) FROM decision) AS decided, (SELECT count(*) FROM stats) AS counted`);
  const row = rows[0]!;
  if (Number(row.assigned) === 1) return "assigned";
  return Number(row.claimed_task) === 0 ? "task_gone" : "agent_full";
}

async function recordUnassigned(
  db: Db,
  task: RoutableTask,
  d: DecisionRecord & { result: "waiting" | "rejected" },
): Promise<boolean> {
  const bucket = bucketIndex(d.decisionMs) + 1;
  const rejected = d.result === "rejected";
  const rows = await queryRows<{ updated: bigint }[]>(db, Prisma.sql`
    WITH t AS (
      UPDATE tasks SET status = ${rejected ? "rejected" : "submitted"}::"TaskStatus", "statusReason" = ${d.reason},
        "decisionId" = ${d.decisionId}, "completedAt" = ${rejected ? d.now : null}
      WHERE id = ${task.id} AND status = 'submitted'
      RETURNING id
    ), decision AS (
      INSERT INTO routing_decisions (id, "tenantId", "taskId", "taskType", strategy, policy, "chosenAgentId", result, reason,
        explored, "selectionProbability", candidates, excluded, "notCapableCount", "decisionMs", "createdAt")
      SELECT ${d.decisionId}, ${task.tenantId}, ${task.id}, ${task.type}, ${d.strategy}::"RoutingStrategy", ${JSON.stringify(d.policy)}::jsonb,
        NULL, ${d.result}, ${d.reason}, false, NULL, '[]'::jsonb, ${JSON.stringify(d.excluded)}::jsonb, ${d.notCapableCount}, ${d.decisionMs}, ${d.now}
      WHERE EXISTS (SELECT 1 FROM t)
      RETURNING 1
    ), stats AS (
      -- Added to routing_stats_hourly at COMMIT (arbiter_deferred.add_routing_stats): every decision
      -- that places no agent counts into the same row, which must not be locked for the rest of
      -- this transaction.
      INSERT INTO arbiter_deferred.routing_stats_pending ("tenantId", hour, "taskType", "agentId", explored, assigned, waiting, rejected, "decisionMs", bucket, "latencyBuckets")
      SELECT ${task.tenantId}, ${hourOf(d.now)}, ${task.type}, '', 0, 0, ${rejected ? 0 : 1}, ${rejected ? 1 : 0}, ${d.decisionMs}, ${bucket}, ${oneHot(bucket - 1)}::int[]
      WHERE EXISTS (SELECT 1 FROM t)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM t) AS updated, (SELECT count(*) FROM decision) AS decided, (SELECT count(*) FROM stats) AS counted`);
  return Number(rows[0]!.updated) === 1;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
