// Tasks waiting for a waiver are evaluated again when something that may free them happens (a
// waiver becomes active, a policy is activated), and proceed to routing without being resubmitted.
import type { Tx } from "@/server/db/client";
import { routeTask } from "@/server/routing/router";
import { systemRng } from "@/server/routing/random";
import type { ChangeProposal } from "./evaluate";
import { activePolicy } from "./inputs";
import { decideTask, type DecisionContext, type DecisionTrigger } from "./decision-service";
import { recordBudgetCrossings } from "./budget-events";

const MAX_PER_PASS = 500;

export async function reevaluateAwaitingTasks(
  tx: Tx,
  tenantId: string,
  scope: { specId: string | null; taskType?: string | null },
  trigger: DecisionTrigger,
  ctx: DecisionContext,
) {
  const tasks = await tx.task.findMany({
    where: { tenantId, status: "awaiting_waiver", ...(scope.specId ? { specId: scope.specId } : {}), ...(scope.taskType ? { type: scope.taskType } : {}) },
    orderBy: [{ priority: "desc" }, { submittedAt: "asc" }],
    take: MAX_PER_PASS,
  });
  const counts = { evaluated: 0, allowed: 0, assigned: 0, denied: 0, stillWaiting: 0, taskIds: [] as string[] };
  if (tasks.length === 0) return counts;
  const policy = await activePolicy(tx, tenantId);
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
