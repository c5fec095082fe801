// Routes tasks: load each task's capable pool, let the bandit choose, and assign atomically
// (assignment.ts). A batch of tasks is chosen for in memory, each choice seeing the load the earlier
// ones add, and assigned by one statement; a task whose chosen agent could not take it (another
// router filled it meanwhile) is routed again on its own, where a lost race excludes that agent and
// the bandit chooses again.
import { randomUUID } from "node:crypto";
import { Prisma } from "@/server/db/generated/client";
import { queryRows, type SqlDb } from "@/server/db/direct-sql";
import type { SqlScope } from "@/server/db/tenant-scope";
import { adjustCachedAgent, loadPoolCached, sortPool, type Candidate, type Exclusion, type PoolAgent } from "@/server/registry/candidate-pool";
import { candidateColumns, chooseFromColumns, setCandidate, type CandidateColumns } from "./bandit";
import { effectivePolicy } from "./policy-service";
import { bucketIndex } from "./latency-histogram";
import { assignTasks, hourOf, oneHot, type AssignmentRequest, type AssignmentResult } from "./assignment";
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

interface RoutePlan {
  policy: Awaited<ReturnType<typeof effectivePolicy>>;
  /** The cached pool the plan's agents were read from (they may carry a batch's load on top). */
  snapshot: readonly PoolAgent[];
  agents: PoolAgent[];
  candidates: Candidate[];
  excluded: Exclusion[];
  notCapableCount: number;
}

/** Tasks already given to agents earlier in the same batch, which the pool read does not show yet. */
class BatchLoad {
  private readonly active = new Map<string, number>();
  private readonly pending = new Map<string, number>();

  add(agentId: string, taskType: string) {
    this.active.set(agentId, (this.active.get(agentId) ?? 0) + 1);
    const key = `${agentId}\u0000${taskType}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  applyTo(agents: PoolAgent[], taskType: string): PoolAgent[] {
    if (this.active.size === 0) return agents;
    return agents.map((a) => {
      const active = this.active.get(a.id);
      if (!active) return a;
      const pending = this.pending.get(`${a.id}\u0000${taskType}`) ?? 0;
      return { ...a, activeTasks: a.activeTasks + active, arm: { ...a.arm, pending: a.arm.pending + pending } };
    });
  }
}

async function planRoute(db: SqlDb, task: RoutableTask, now: Date, load?: BatchLoad, poolRefresh?: SqlScope): Promise<RoutePlan> {
  const policy = await effectivePolicy(db, task.tenantId, task.type);
  const pool = await loadPoolCached(db, task.tenantId, task.type, Date.now(), poolRefresh);
  const agents = load ? load.applyTo(pool.agents, task.type) : pool.agents;
  const requirement = {
    taskType: task.type,
    languages: task.requiredLanguages,
    specializations: task.requiredSpecializations,
    minProficiency: task.minProficiency,
    maxUtilization: 1,
    minSuccessRate: 0,
  };
  const { candidates, excluded } = sortPool(agents, requirement, policy.heartbeatTimeoutSeconds, now, pool.agents);
  return { policy, snapshot: pool.agents, agents, candidates, excluded, notCapableCount: pool.registered - pool.agents.length };
}

// A pool snapshot's agent ids and names, made once per snapshot: when every agent of the pool is a
// candidate (the usual case) each decision's columns share them, and with them the encoded strings
// of its record (packCandidates).
const snapshotStrings = new WeakMap<readonly PoolAgent[], { ids: string[]; names: string[] }>();

const stringsOfAgents = (agents: readonly { id: string; name: string }[]) => ({ ids: agents.map((a) => a.id), names: agents.map((a) => a.name) });

function candidateStrings(candidates: readonly Candidate[], snapshot: readonly PoolAgent[]) {
  // sortPool keeps the pool's order, so as many candidates as agents are the snapshot's agents.
  if (candidates.length !== snapshot.length) return stringsOfAgents(candidates.map((c) => c.agent));
  let strings = snapshotStrings.get(snapshot);
  if (!strings) snapshotStrings.set(snapshot, (strings = stringsOfAgents(snapshot)));
  return strings;
}

/** The bandit's view of the candidates, in columns (bandit.ts). */
function banditColumns(candidates: readonly Candidate[], snapshot: readonly PoolAgent[]): CandidateColumns {
  const { ids, names } = candidateStrings(candidates, snapshot);
  const c = candidateColumns(ids, names);
  candidates.forEach(({ agent, match, utilization }, i) => setCandidate(c, i, match, utilization, agent.arm));
  return c;
}

function assignmentRequest(task: RoutableTask, plan: RoutePlan, candidates: Candidate[], now: Date, rng: Rng, started: number): AssignmentRequest {
  const choice = chooseFromColumns(banditColumns(candidates, plan.snapshot), plan.policy, now, rng)!;
  return {
    decisionId: randomUUID(),
    taskId: task.id,
    taskType: task.type,
    strategy: plan.policy.strategy,
    choice,
    policy: { ...plan.policy },
    reason: `${plan.policy.strategy} chose ${choice.chosen.name} (score ${choice.chosen.score.toFixed(3)}) among ${candidates.length} candidate(s)`,
    excluded: plan.excluded,
    notCapableCount: plan.notCapableCount,
    decisionMs: performance.now() - started,
  };
}

const assignedResult = (r: AssignmentRequest): RouteResult => ({
  result: "assigned",
  decisionId: r.decisionId,
  agentId: r.choice.chosen.agentId,
  agentName: r.choice.chosen.name,
  explored: r.choice.explored,
});

async function noteAssigned(tenantId: string, r: AssignmentRequest) {
  await adjustCachedAgent(tenantId, r.choice.chosen.agentId, (agent, type) => {
    agent.activeTasks += 1;
    if (type === r.taskType) agent.arm.pending += 1;
  });
}

// The agent filled up (or changed status) between reading and claiming: let this process's cached
// view know it is full until the next refresh.
async function noteFull(tenantId: string, agentId: string) {
  await adjustCachedAgent(tenantId, agentId, (agent) => {
    agent.activeTasks = Math.max(agent.activeTasks, agent.maxConcurrentTasks);
  });
}

/** A batch's choices, made in memory before anything is written (planBatch). */
export interface BatchPlan {
  tasks: readonly RoutableTask[];
  /** The tasks that have a candidate, with the assignment each asks for. */
  planned: { index: number; request: AssignmentRequest }[];
}

/**
 * Chooses an agent for each of a tenant's tasks in memory, each choice seeing the load the earlier
 * ones add. Nothing is written: the requests go to one assignment statement (assignTasks, or
 * insertAndAssignTasks for tasks not yet stored), whose results settleBatch takes. Given
 * `poolRefresh` (a transaction of its own), a stale cached pool is read again there while this
 * batch routes on it, instead of in `db` before (loadPoolCached).
 */
export async function planBatch(db: SqlDb, tasks: readonly RoutableTask[], now: Date, rng: Rng, poolRefresh?: SqlScope): Promise<BatchPlan> {
  const load = new BatchLoad();
  const planned: BatchPlan["planned"] = [];
  for (const [index, task] of tasks.entries()) {
    const started = performance.now();
    const plan = await planRoute(db, task, now, load, poolRefresh);
    if (plan.candidates.length === 0) continue;
    const request = assignmentRequest(task, plan, plan.candidates, now, rng, started);
    load.add(request.choice.chosen.agentId, task.type);
    planned.push({ index, request });
  }
  return { tasks, planned };
}

/**
 * The batch's results from its assignment statement's: the tasks without a candidate, and those
 * whose agent filled up first, are routed again one by one (they must be stored by now), where a
 * lost race excludes that agent and the bandit chooses again. Results in the order of the tasks.
 */
export async function settleBatch(db: SqlDb, tenantId: string, { tasks, planned }: BatchPlan, outcomes: readonly AssignmentResult[], now: Date, rng: Rng): Promise<RouteResult[]> {
  const results: (RouteResult | undefined)[] = new Array(tasks.length);
  for (const [i, { index, request }] of planned.entries()) {
    const outcome = outcomes[i];
    if (outcome === "assigned") {
      results[index] = assignedResult(request);
      await noteAssigned(tenantId, request);
    } else if (outcome === "task_gone") {
      results[index] = { result: "not_routable", reason: "the task is no longer waiting to be routed" };
    }
    // "agent_full": the agent may still have room for some of its tasks, which routing them one
    // by one finds out (and marks the agent full in the cache once it is).
  }
  for (const [index, task] of tasks.entries()) results[index] ??= await routeTask(db, task, now, rng);
  return results as RouteResult[];
}

/** Routes one task, choosing again (without the agent) when its chosen agent fills up first. */
export async function routeTask(db: SqlDb, task: RoutableTask, now: Date, rng: Rng, { recordUnplaced = true }: RouteOptions = {}): Promise<RouteResult> {
  const started = performance.now();
  const plan = await planRoute(db, task, now);
  const { policy, agents, excluded } = plan;

  let remaining = plan.candidates;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && remaining.length > 0; attempt++) {
    const request = assignmentRequest(task, plan, remaining, now, rng, started);
    const [assigned] = await assignTasks(db, task.tenantId, [request], now);
    if (assigned === "assigned") {
      await noteAssigned(task.tenantId, request);
      return assignedResult(request);
    }
    if (assigned === "task_gone") return { result: "not_routable", reason: "the task is no longer waiting to be routed" };
    const chosen = request.choice.chosen;
    await noteFull(task.tenantId, chosen.agentId);
    excluded.push({ agentId: chosen.agentId, name: chosen.name, kind: "capacity", reason: "filled up while routing" });
    remaining = remaining.filter((c) => c.agent.id !== chosen.agentId);
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
    policy: { ...policy },
    strategy: policy.strategy,
    excluded,
    notCapableCount: plan.notCapableCount,
  });
  if (!recorded) return { result: "not_routable", reason: "the task is no longer waiting to be routed" };
  return { result, decisionId, reason };
}

interface UnassignedRecord {
  decisionId: string;
  result: "waiting" | "rejected";
  reason: string;
  strategy: string;
  decisionMs: number;
  now: Date;
  policy: object;
  excluded: Exclusion[];
  notCapableCount: number;
}

async function recordUnassigned(db: SqlDb, task: RoutableTask, d: UnassignedRecord): Promise<boolean> {
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

