// Tasks waiting for a waiver are evaluated again when something that may free them happens (a
// waiver becomes active, a policy is activated), and proceed to routing without being resubmitted.
import type { RootDb, Tx } from "@/server/db/client";
import { TRANSACTION_OPTIONS } from "@/server/db/transaction";
import { SYSTEM_ACTOR } from "@/server/audit/service";
import { routeTask } from "@/server/routing/router";
import { systemRng } from "@/server/routing/random";
import type { ChangeProposal } from "./evaluate";
import { activePolicy } from "./inputs";
import { decideTask, type DecisionContext, type DecisionTrigger } from "./decision-service";
import { countPendingBudgetUsage, recordBudgetCrossings } from "./budget-events";

const MAX_PER_PASS = 500;

export interface ReevaluationScope {
  specId: string | null;
  taskType?: string | null;
  /** Only tasks whose latest decision failed on tenant budgets alone, decided before this time. */
  budgetWaitsDecidedBefore?: Date;
}

export async function reevaluateAwaitingTasks(tx: Tx, tenantId: string, scope: ReevaluationScope, trigger: DecisionTrigger, ctx: DecisionContext) {
  const budgetOnly = scope.budgetWaitsDecidedBefore
    ? await tx.$queryRaw<{ id: string }[]>`
        SELECT t.id FROM tasks t JOIN constitutional_decisions d ON d.id = t."constitutionalDecisionId"
        WHERE t."tenantId" = ${tenantId} AND t.status = 'awaiting_waiver' AND d."createdAt" < ${scope.budgetWaitsDecidedBefore}
          AND cardinality(d."failedRules") > 0
          AND NOT EXISTS (SELECT 1 FROM unnest(d."failedRules") r WHERE r NOT LIKE 'tenant\_budget.%')`
    : null;
  const tasks = await tx.task.findMany({
    where: {
      tenantId,
      status: "awaiting_waiver",
      ...(scope.specId ? { specId: scope.specId } : {}),
      ...(scope.taskType ? { type: scope.taskType } : {}),
      ...(budgetOnly ? { id: { in: budgetOnly.map((r) => r.id) } } : {}),
    },
    orderBy: [{ priority: "desc" }, { submittedAt: "asc" }],
    take: MAX_PER_PASS,
  });
  const counts = { evaluated: 0, allowed: 0, assigned: 0, denied: 0, stillWaiting: 0, taskIds: [] as string[] };
  if (tasks.length === 0) return counts;
  const policy = await activePolicy(tx, tenantId);
  // Each task's check must see the usage of the tasks assigned before it in this pass.
  await countPendingBudgetUsage(tx);
  for (const task of tasks) {
    const d = await decideTask(tx, tenantId, { id: task.id, taskType: task.type, specId: task.specId, change: task.change as ChangeProposal | null }, trigger, ctx, policy);
    counts.evaluated++;
    if (d.evaluation.verdict === "deny") counts.denied++;
    if (d.evaluation.verdict === "needs_waiver") counts.stillWaiting++;
    if (d.evaluation.verdict !== "allow") continue;
    counts.allowed++;
    counts.taskIds.push(task.id);
    const routed = await routeTask(tx, task, ctx.now, systemRng);
    if (routed.result === "assigned") {
      counts.assigned++;
      await recordBudgetCrossings(tx, tenantId, task.type, ctx.actor, ctx.now);
    }
  }
  return counts;
}

/**
 * Budgets renew each UTC day (tasks) and month (cost): tasks that waited only on a tenant budget
 * and were decided before today are evaluated again. Runs from a timer on every instance; a
 * tenant's pass is skipped when another instance holds it.
 */
export async function reevaluateRenewedBudgets(db: RootDb, now = new Date()) {
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const tenants = await db.$queryRaw<{ tenantId: string }[]>`
    SELECT DISTINCT t."tenantId" FROM tasks t JOIN constitutional_decisions d ON d.id = t."constitutionalDecisionId"
    WHERE t.status = 'awaiting_waiver' AND d."createdAt" < ${today}
      AND NOT EXISTS (SELECT 1 FROM unnest(d."failedRules") r WHERE r NOT LIKE 'tenant\_budget.%')`;
  let evaluated = 0;
  for (const { tenantId } of tenants) {
    evaluated += await db.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${`budget-renewal:${tenantId}`}, 0)) AS locked`;
      if (!lock?.locked) return 0;
      const r = await reevaluateAwaitingTasks(tx, tenantId, { specId: null, budgetWaitsDecidedBefore: today }, "budget_renewed", { actor: SYSTEM_ACTOR, requestId: null, now });
      return r.evaluated;
    }, TRANSACTION_OPTIONS);
  }
  return evaluated;
}
