// The task lifecycle: submit (constitutional check, then routing), progress, cancel, and placing
// waiting tasks when capacity frees up. Outcomes are in outcome-service.ts.
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { queryRows, type SqlDb } from "@/server/db/direct-sql";
import { Conflict, NotFound } from "@/server/errors";
import { planBatch, routeTask, settleBatch, type RoutableTask, type RouteResult } from "./router";
import { insertAndAssignTasks } from "./assignment";
import { adjustCachedAgent } from "@/server/registry/candidate-pool";
import { systemRng, type Rng } from "./random";
import type { SubmitTaskInput } from "./task-schemas";
import { inTransaction } from "@/server/db/transaction";
import type { SqlScope } from "@/server/db/tenant-scope";
import { randomUUID } from "node:crypto";
import { auditInserts, type AuditActor } from "@/server/audit/service";
import { decisionAudit, decisionsInsert, summariseFailures, taskStateFor } from "@/server/constitution/decision-service";
import { loadEvaluationInputs } from "@/server/constitution/inputs";
import { crossingsAfterOneTask, recordBudgetCrossings, recordCrossings } from "@/server/constitution/budget-events";
import { evaluateChange, type BudgetFacts, type Evaluation, type EvaluationInput } from "@/server/constitution/evaluate";

export interface TaskCaller {
  /** The user (or token creator) on whose behalf the task is submitted. */
  userId: string | null;
  actor: AuditActor;
  requestId: string | null;
}

/** One task submitted by one caller; a batch may hold several callers' tasks of one tenant. */
export interface TaskSubmission {
  caller: TaskCaller;
  input: SubmitTaskInput;
}

export type SubmittedTask = Awaited<ReturnType<typeof submitTasks>>[number];

/**
 * Submits tasks of one tenant, all in one transaction: runs the constitutional check of each and
 * chooses agents for the allowed ones in memory, then records the tasks with their decisions, the
 * decisions' audit entries and the assignments in one statement; allowed tasks whose chosen agent
 * filled up first are then routed one by one. The statement comes last because it locks the chosen
 * agents' rows until COMMIT; the audit entries are linked into the chain at COMMIT (see
 * auditInserts). Results in the order of `submissions`.
 */
export async function submitTasks(
  db: SqlDb,
  tenantId: string,
  submissions: readonly TaskSubmission[],
  { now = new Date(), rng = systemRng, poolRefresh }: { now?: Date; rng?: Rng; /** Where stale agent pools are read again (see planBatch). */ poolRefresh?: SqlScope } = {},
) {
  return inTransaction(db, async (tx) => {
    const facts = await loadEvaluationInputs(
      tx,
      tenantId,
      submissions.map(({ input }) => ({ taskType: input.taskType, specId: input.specId ?? null, change: input.change ?? null })),
      now,
    );
    const budgetsSeen = new BatchBudgetUsage();
    const decided = submissions.map(({ caller, input }, i) => {
      // Tasks allowed earlier in this batch count against the budgets as if already assigned.
      const evaluationInput = budgetsSeen.applyTo(facts[i]!);
      const started = performance.now();
      const evaluation = evaluateChange(evaluationInput);
      const evaluationMs = performance.now() - started;
      if (evaluation.verdict === "allow") budgetsSeen.count(evaluationInput.budgets);
      const task: RoutableTask = {
        id: randomUUID(),
        tenantId,
        type: input.taskType,
        requiredLanguages: input.languages,
        requiredSpecializations: input.specializations,
        minProficiency: input.minProficiency,
      };
      return { caller, input, task, facts: evaluationInput, evaluation, evaluationMs, decisionId: randomUUID(), state: taskStateFor(evaluation), now };
    });
    // The allowed tasks' agents are chosen in memory first, so that one statement (one round trip)
    // records the decisions, their audit entries and the tasks, and claims the chosen agents: a task
    // whose agent is claimed is inserted already assigned (one row version, not an insert and an
    // update). The tasks are read from the decisions' RETURNING rows, so each decision is in place
    // before its task's row is checked for one (tasks_require_allow_decision).
    const allowed = decided.filter((d) => d.evaluation.verdict === "allow");
    const plan = await planBatch(tx, allowed.map((d) => d.task), now, rng, poolRefresh);
    const outcomes = await insertAndAssignTasks(tx, tenantId, plan.planned.map((p) => p.request), now, {
      before: Prisma.sql`decision AS (${decisionsInsert(
        decided.map((d) => ({ id: d.decisionId, tenantId, taskId: d.task.id, trigger: "submit" as const, input: d.facts, evaluation: d.evaluation, evaluationMs: d.evaluationMs, now })),
      )} RETURNING id),
        audit AS (${auditInserts(decided.map((d) => decisionAudit(tenantId, d.task.id, d.decisionId, d.evaluation, "submit", { actor: d.caller.actor, requestId: d.caller.requestId, now })))})`,
      insertTasks: Prisma.sql`
      INSERT INTO tasks (id, "tenantId", type, "requiredLanguages", "requiredSpecializations", "minProficiency", priority, payload, deadline,
        status, "statusReason", "specId", change, "constitutionalDecisionId", "submittedById", "researchStatus", "submittedAt", "completedAt",
        "agentId", "decisionId", "routedAt", "assignedAt")
      SELECT t.id, "tenantId", type, "requiredLanguages", "requiredSpecializations", "minProficiency", priority, payload, deadline,
        CASE WHEN won.task_id IS NULL THEN status ELSE 'assigned' END, CASE WHEN won.task_id IS NULL THEN "statusReason" END,
        "specId", change, "constitutionalDecisionId", "submittedById", "researchStatus", "submittedAt", "completedAt",
        won.agent_id, won.decision_id, CASE WHEN won.task_id IS NOT NULL THEN ${now}::timestamptz END, CASE WHEN won.task_id IS NOT NULL THEN ${now}::timestamptz END
      FROM json_to_recordset(${JSON.stringify(decided.map(taskRow))}::json) AS t(id text, "tenantId" text, type text, "requiredLanguages" text[],
        "requiredSpecializations" text[], "minProficiency" float8, priority int, payload jsonb, deadline timestamptz, status "TaskStatus",
        "statusReason" text, "specId" text, change jsonb, "constitutionalDecisionId" text, "submittedById" text, "researchStatus" text,
        "submittedAt" timestamptz, "completedAt" timestamptz)
      JOIN decision ON decision.id = t."constitutionalDecisionId"
      LEFT JOIN won ON won.task_id = t.id`,
    });
    const routes = new Map<string, RouteResult>();
    for (const [i, route] of (await settleBatch(tx, tenantId, plan, outcomes, now, rng)).entries()) routes.set(allowed[i]!.task.id, route);
    const results = [];
    for (const d of decided) {
      const route = routes.get(d.task.id);
      let routing;
      if (route) {
        routing = routingView(route);
        if (routing.result === "assigned" && d.facts.budgets.length > 0) await recordCrossings(tx, tenantId, crossingsAfterOneTask(d.facts.budgets, now), d.caller.actor, now);
      } else {
        routing = { result: d.evaluation.verdict === "deny" ? ("denied" as const) : ("awaiting_waiver" as const), decisionId: null, agentId: null, agentName: null, explored: false, reason: summariseFailures(d.evaluation) };
      }
      results.push({ taskId: d.task.id, constitution: constitutionView(d.decisionId, d.evaluation), routing, payload: d.input.payload, type: d.task.type });
    }
    return results;
  });
}

/** A submitted task's row as the insert takes it. */
function taskRow({ task, input, state, decisionId, caller, now }: { task: RoutableTask; input: SubmitTaskInput; state: ReturnType<typeof taskStateFor>; decisionId: string; caller: TaskCaller; now: Date }) {
  return {
    id: task.id,
    tenantId: task.tenantId,
    type: task.type,
    requiredLanguages: task.requiredLanguages,
    requiredSpecializations: task.requiredSpecializations,
    minProficiency: task.minProficiency,
    priority: input.priority,
    payload: input.payload,
    deadline: input.deadline ?? null,
    status: state.status,
    statusReason: state.statusReason,
    specId: input.specId ?? null,
    change: input.change ?? null,
    constitutionalDecisionId: decisionId,
    submittedById: caller.userId,
    researchStatus: input.research ? "pending" : null,
    submittedAt: now,
    completedAt: state.status === "denied" ? now : null,
  };
}

/** Budget usage that tasks allowed earlier in a batch add to what the database showed. */
class BatchBudgetUsage {
  private readonly tasks = new Map<string, number>();

  applyTo(input: EvaluationInput): EvaluationInput {
    if (this.tasks.size === 0) return input;
    return { ...input, budgets: input.budgets.map((b) => ({ ...b, tasksToday: b.tasksToday + (this.tasks.get(b.id) ?? 0) })) };
  }

  count(budgets: readonly BudgetFacts[]) {
    for (const b of budgets) this.tasks.set(b.id, (this.tasks.get(b.id) ?? 0) + 1);
  }
}

function constitutionView(decisionId: string, e: Evaluation) {
  return {
    decisionId,
    verdict: e.verdict,
    failed: e.rules.filter((r) => r.status === "fail").map((r) => ({ rule: r.rule, gate: r.gate, message: r.message, outcome: r.outcome ?? null })),
    waiversApplied: e.waiversApplied.map((w) => w.id),
  };
}

function routingView(r: RouteResult) {
  return r.result === "assigned"
    ? { result: r.result, decisionId: r.decisionId, agentId: r.agentId, agentName: r.agentName, explored: r.explored, reason: null }
    : { result: r.result, decisionId: "decisionId" in r ? r.decisionId : null, agentId: null, agentName: null, explored: false, reason: r.reason };
}

export async function reportProgress(db: Db, tenantId: string, taskId: string, progress: number, message: string | undefined, now = new Date()) {
  const rows = await db.$queryRaw<{ id: string; status: string }[]>`
    UPDATE tasks SET status = 'running', progress = ${progress}, "progressMessage" = ${message ?? null},
      "startedAt" = COALESCE("startedAt", ${now})
    WHERE id = ${taskId} AND "tenantId" = ${tenantId} AND status IN ('assigned', 'running')
    RETURNING id, status::text AS status`;
  if (rows.length === 0) await explainMissing(db, tenantId, taskId, "report progress on");
  return { taskId, status: "running" as const, progress };
}

export async function cancelTask(db: Db, tenantId: string, taskId: string, now = new Date()) {
  const rows = await db.$queryRaw<{ agentId: string | null; type: string; was: string }[]>`
    WITH old AS (
      SELECT id, "agentId", type, status::text AS was FROM tasks
      WHERE id = ${taskId} AND "tenantId" = ${tenantId} AND status IN ('submitted', 'awaiting_waiver', 'assigned', 'running') FOR UPDATE
    ), t AS (
      UPDATE tasks SET status = 'cancelled', "completedAt" = ${now} WHERE id IN (SELECT id FROM old) RETURNING id
    ), freed AS (
      UPDATE agents SET "activeTasks" = GREATEST("activeTasks" - 1, 0)
      WHERE id = (SELECT "agentId" FROM old WHERE was IN ('assigned', 'running')) RETURNING 1
    ), arm AS (
      UPDATE bandit_arms SET pending = GREATEST(pending - 1, 0)
      WHERE "agentId" = (SELECT "agentId" FROM old WHERE was IN ('assigned', 'running')) AND "taskType" = (SELECT type FROM old)
      RETURNING 1
    )
    SELECT "agentId", type, was, (SELECT count(*) FROM freed) AS freed, (SELECT count(*) FROM arm) AS arms FROM old`;
  if (rows.length === 0) return explainMissing(db, tenantId, taskId, "cancel");
  const { agentId, type, was } = rows[0]!;
  if (agentId && (was === "assigned" || was === "running")) {
    await adjustCachedAgent(tenantId, agentId, (agent, t) => {
      agent.activeTasks = Math.max(0, agent.activeTasks - 1);
      if (t === type) agent.arm.pending = Math.max(0, agent.arm.pending - 1);
    });
  }
  if (rows[0]!.agentId) await placeWaitingTasks(db, tenantId, rows[0]!.type, 1, { now });
  return { taskId, status: "cancelled" as const };
}

/**
 * Tries to place waiting tasks (oldest of the highest priority first) once capacity may have freed
 * up. A task that still does not fit is left waiting without a new decision record.
 */
export async function placeWaitingTasks(
  db: SqlDb,
  tenantId: string,
  taskType: string | null,
  limit: number,
  { now = new Date(), rng = systemRng }: { now?: Date; rng?: Rng } = {},
) {
  const waiting = await queryRows<RoutableTask[]>(db, waitingTasksQuery(tenantId, taskType === null ? null : Prisma.sql`${taskType}::text`, limit));
  return placeTasks(db, tenantId, waiting, { now, rng });
}

/**
 * Tasks waiting for an agent, oldest of the highest priority first; `taskType` null for any type.
 * With a type, the partial index tasks_waiting_idx answers it from the waiting tasks alone.
 */
export function waitingTasksQuery(tenantId: string, taskType: Prisma.Sql | null, limit: number | Prisma.Sql) {
  return Prisma.sql`
    SELECT id, "tenantId", type, "requiredLanguages", "requiredSpecializations", "minProficiency" FROM tasks
    WHERE "tenantId" = ${tenantId} AND status = 'submitted' ${taskType ? Prisma.sql`AND type = ${taskType}` : Prisma.empty}
    ORDER BY priority DESC, "submittedAt" ASC
    LIMIT ${limit}`;
}

export async function placeTasks(db: SqlDb, tenantId: string, waiting: readonly RoutableTask[], { now, rng }: { now: Date; rng: Rng }) {
  let placed = 0;
  for (const task of waiting) {
    const r = await routeTask(db, task, now, rng, { recordUnplaced: false });
    if (r.result === "assigned") {
      placed += 1;
      await inTransaction(db, (tx) => recordBudgetCrossings(tx, tenantId, task.type, undefined, now));
    }
  }
  return placed;
}

export async function explainMissing(db: SqlDb, tenantId: string, taskId: string, verb: string): Promise<never> {
  const [task] = await queryRows<{ status: string }[]>(db, Prisma.sql`SELECT status::text AS status FROM tasks WHERE id = ${taskId} AND "tenantId" = ${tenantId}`);
  if (!task) throw new NotFound("Task not found");
  throw new Conflict(`Cannot ${verb} a task that is ${task.status}`);
}
