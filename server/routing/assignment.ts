// Assigns routed tasks to the agents the bandit chose, atomically, in one statement for any number
// of tasks: assignTasks for stored tasks that wait to be routed (a waiting task, or one routed
// again), insertAndAssignTasks for a batch of submissions, whose tasks it inserts already assigned.
// The statement claims capacity per agent all-or-nothing: an agent chosen for k tasks of the batch
// takes all k only if it has k free slots (and, for stored tasks, every one of those tasks is still
// waiting); otherwise it takes none and the caller routes those tasks again one by one. With the
// claim it writes, for every task whose agent was claimed, the assignment, the arm's pending count,
// the decision record and the hourly roll-up. Agents are locked in id order, so two batches that
// share agents cannot deadlock on them.
import { Prisma } from "@/server/db/generated/client";
import { queryRows, type SqlDb } from "@/server/db/direct-sql";
import type { Exclusion } from "@/server/registry/candidate-pool";
import type { BanditChoice } from "./bandit";
import { BUCKET_COUNT, bucketIndex } from "./latency-histogram";
import { packCandidates } from "./candidate-record";

export interface AssignmentRequest {
  decisionId: string;
  taskId: string;
  taskType: string;
  strategy: string;
  choice: BanditChoice;
  policy: object;
  reason: string;
  excluded: Exclusion[];
  notCapableCount: number;
  decisionMs: number;
}

export type AssignmentResult = "assigned" | "agent_full" | "task_gone";

export function hourOf(now: Date): Date {
  const h = new Date(now);
  h.setUTCMinutes(0, 0, 0);
  return h;
}

export function oneHot(index: number): number[] {
  const buckets = new Array<number>(BUCKET_COUNT).fill(0);
  buckets[index] = 1;
  return buckets;
}

/** Per (agent, task type): how many tasks it is asked to take, with their roll-up figures. */
function groupsOf(requests: readonly AssignmentRequest[]) {
  const groups = new Map<string, { agentId: string; taskType: string; n: number; explored: number; decisionMs: number; buckets: number[] }>();
  for (const r of requests) {
    const agentId = r.choice.chosen.agentId;
    const key = `${agentId}\u0000${r.taskType}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { agentId, taskType: r.taskType, n: 0, explored: 0, decisionMs: 0, buckets: new Array<number>(BUCKET_COUNT).fill(0) }));
    g.n += 1;
    g.explored += r.choice.explored ? 1 : 0;
    g.decisionMs += r.decisionMs;
    g.buckets[bucketIndex(r.decisionMs)]! += 1;
  }
  return [...groups.values()];
}

/** What the assignment statements take: the requests and their groups as JSON, the packed
 *  candidate records as one binary parameter (each request naming its slice), and the ids. */
function assignmentParameters(requests: readonly AssignmentRequest[]) {
  // The packed candidate records travel as one binary parameter (bytes, not text to parse), each
  // row naming its slice.
  const packed = requests.map((r) => packCandidates(r.choice.scored));
  const packedAt: number[] = [];
  let offset = 0;
  for (const p of packed) {
    packedAt.push(offset);
    offset += p.length;
  }
  const rows = requests.map((r, i) => ({
    decision_id: r.decisionId,
    task_id: r.taskId,
    task_type: r.taskType,
    agent_id: r.choice.chosen.agentId,
    strategy: r.strategy,
    policy: r.policy,
    reason: r.reason,
    explored: r.choice.explored,
    probability: r.choice.selectionProbability,
    candidates_at: packedAt[i],
    candidates_len: packed[i]!.length,
    excluded: r.excluded,
    not_capable: r.notCapableCount,
    decision_ms: r.decisionMs,
  }));
  const groups = groupsOf(requests).map((g) => ({ agent_id: g.agentId, task_type: g.taskType, n: g.n, explored: g.explored, decision_ms: g.decisionMs, buckets: g.buckets }));
  // Requests and groups travel as JSON parameters: one statement text (one prepared plan) for any
  // batch size. The id arrays repeat what the JSON holds so that the plan, which cannot see inside
  // the JSON, reaches tasks and agents through their primary keys.
  return {
    rows: JSON.stringify(rows),
    groups: JSON.stringify(groups),
    packed: Buffer.concat(packed),
    taskIds: requests.map((r) => r.taskId),
    agentIds: [...new Set(requests.map((r) => r.choice.chosen.agentId))],
  };
}

type AssignmentParameters = ReturnType<typeof assignmentParameters>;

/** The requests (r) and their groups per agent and task type (g). */
const requestCtes = (p: AssignmentParameters) => Prisma.sql`
    r AS (
      SELECT * FROM json_to_recordset(${p.rows}::json) AS r(decision_id text, task_id text, task_type text, agent_id text,
        strategy "RoutingStrategy", policy jsonb, reason text, explored boolean, probability float8, candidates_at int, candidates_len int, excluded jsonb,
        not_capable int, decision_ms float8)
    ), g AS (
      SELECT * FROM json_to_recordset(${p.groups}::json) AS g(agent_id text, task_type text, n int, explored int, decision_ms float8, buckets int[])
    )`;

/**
 * Given want(agent_id, n), the slots asked of each agent: locks those agents in id order, claims
 * each one's slots all-or-nothing (claimed), names the requests whose agent was claimed (won), and
 * writes for them the arm's pending count, the decision record (routed) and the hourly roll-up.
 */
const claimCtes = (tenantId: string, p: AssignmentParameters, now: Date) => Prisma.sql`
    locked AS MATERIALIZED (
      SELECT id FROM agents WHERE id = ANY(${p.agentIds}::text[]) AND id IN (SELECT agent_id FROM want) ORDER BY id FOR UPDATE
    ), claimed AS (
      UPDATE agents a SET "activeTasks" = a."activeTasks" + want.n
      FROM want
      WHERE a.id = ANY(${p.agentIds}::text[]) AND a.id = want.agent_id AND a.id IN (SELECT id FROM locked) AND a."tenantId" = ${tenantId} AND a.status = 'available'
        AND a."unregisteredAt" IS NULL AND a."activeTasks" + want.n <= a."maxConcurrentTasks"
      RETURNING a.id
    ), won AS (
      SELECT r.* FROM r WHERE r.agent_id IN (SELECT id FROM claimed)
    ), arm AS (
      INSERT INTO bandit_arms ("tenantId", "agentId", "taskType", pulls, "rewardSum", pending, "updatedAt")
      SELECT ${tenantId}, agent_id, task_type, 0, 0, n, ${now}::timestamptz FROM g WHERE agent_id IN (SELECT id FROM claimed)
      ON CONFLICT ("agentId", "taskType") DO UPDATE SET pending = bandit_arms.pending + EXCLUDED.pending
      RETURNING 1
    ), routed AS (
      INSERT INTO routing_decisions (id, "tenantId", "taskId", "taskType", strategy, policy, "chosenAgentId", result, reason,
        explored, "selectionProbability", "candidatesPacked", excluded, "notCapableCount", "decisionMs", "createdAt")
      SELECT decision_id, ${tenantId}, task_id, task_type, strategy, policy, agent_id, 'assigned', reason,
        explored, probability, substring(${p.packed}::bytea FROM candidates_at + 1 FOR candidates_len), excluded, not_capable,
        decision_ms, ${now}::timestamptz FROM won
      RETURNING 1
    ), stats AS (
      -- Counted at once: the chosen agents' rows are locked by this transaction anyway (claimed).
      INSERT INTO routing_stats_hourly ("tenantId", hour, "taskType", "agentId", decisions, explored, assigned, "decisionMsSum", "latencyBuckets")
      SELECT ${tenantId}, ${hourOf(now)}::timestamptz, task_type, agent_id, n, explored, n, decision_ms, buckets FROM g
      WHERE agent_id IN (SELECT id FROM claimed)
      ON CONFLICT ("tenantId", hour, "taskType", "agentId") DO UPDATE SET
        decisions = routing_stats_hourly.decisions + EXCLUDED.decisions,
        explored = routing_stats_hourly.explored + EXCLUDED.explored,
        assigned = routing_stats_hourly.assigned + EXCLUDED.assigned,
        "decisionMsSum" = routing_stats_hourly."decisionMsSum" + EXCLUDED."decisionMsSum",
        "latencyBuckets" = ARRAY(SELECT COALESCE(old, 0) + COALESCE(new, 0)
          FROM unnest(routing_stats_hourly."latencyBuckets", EXCLUDED."latencyBuckets") WITH ORDINALITY AS u(old, new, i) ORDER BY i)
      RETURNING 1
    )`;

function resultsOf(requests: readonly AssignmentRequest[], rows: { taskId: string; open: boolean; claimed: boolean }[]): AssignmentResult[] {
  const byTask = new Map(rows.map((row) => [row.taskId, row]));
  return requests.map((r) => {
    const row = byTask.get(r.taskId);
    if (row?.claimed) return "assigned";
    return row?.open ? "agent_full" : "task_gone";
  });
}

/** Assigns tasks that wait to be routed (status submitted); one result per request, in order. */
export async function assignTasks(db: SqlDb, tenantId: string, requests: readonly AssignmentRequest[], now: Date): Promise<AssignmentResult[]> {
  if (requests.length === 0) return [];
  const p = assignmentParameters(requests);
  const rows = await queryRows<{ taskId: string; open: boolean; claimed: boolean }[]>(db, Prisma.sql`
    WITH ${requestCtes(p)}, open AS MATERIALIZED (
      SELECT id FROM tasks WHERE id = ANY(${p.taskIds}::text[]) AND "tenantId" = ${tenantId} AND status = 'submitted' FOR UPDATE
    ), want AS (
      SELECT agent_id, sum(n)::int AS n FROM g
      WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.agent_id = g.agent_id AND r.task_id NOT IN (SELECT id FROM open))
      GROUP BY agent_id
    ), ${claimCtes(tenantId, p, now)}, assigned AS (
      UPDATE tasks SET status = 'assigned', "agentId" = won.agent_id, "decisionId" = won.decision_id,
        "routedAt" = ${now}, "assignedAt" = ${now}, "statusReason" = NULL
      FROM won WHERE tasks.id = ANY(${p.taskIds}::text[]) AND tasks.id = won.task_id
      RETURNING tasks.id
    )
    SELECT r.task_id AS "taskId", r.task_id IN (SELECT id FROM open) AS open, r.agent_id IN (SELECT id FROM claimed) AS claimed FROM r`);
  return resultsOf(requests, rows);
}

/**
 * Inserts new tasks and assigns those among them that `requests` route, in one statement with
 * whatever must be written before them (`before`: data-modifying CTEs, such as the tasks'
 * constitutional decisions). `insertTasks` is the INSERT INTO tasks, which may read the CTE won
 * (the requests whose agent was claimed: task_id, agent_id, decision_id) to insert those tasks
 * already assigned; the others it inserts as they are, and the caller routes again the ones whose
 * agent was full. One result per request, in order; a new task is never "task_gone".
 */
export async function insertAndAssignTasks(
  db: SqlDb,
  tenantId: string,
  requests: readonly AssignmentRequest[],
  now: Date,
  { before, insertTasks }: { before: Prisma.Sql; insertTasks: Prisma.Sql },
): Promise<AssignmentResult[]> {
  const p = assignmentParameters(requests);
  const rows = await queryRows<{ taskId: string; open: boolean; claimed: boolean }[]>(db, Prisma.sql`
    WITH ${before}, ${requestCtes(p)}, want AS (
      SELECT agent_id, sum(n)::int AS n FROM g GROUP BY agent_id
    ), ${claimCtes(tenantId, p, now)}, inserted AS (${insertTasks} RETURNING 1)
    SELECT r.task_id AS "taskId", true AS open, r.agent_id IN (SELECT id FROM claimed) AS claimed FROM r`);
  return resultsOf(requests, rows);
}
