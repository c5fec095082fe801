// Runs the constitutional check for a task and records the decision: load inputs, evaluate (pure),
// write the decision with the task's new state and its audit entry in the caller's transaction.
import { randomUUID } from "node:crypto";
import type { Tx } from "@/server/db/client";
import { recordAudit, type AuditActor } from "@/server/audit/service";
import { evaluateChange, type Evaluation, type EvaluationInput } from "./evaluate";
import { loadEvaluationInput, type ActivePolicy, type TaskFacts } from "./inputs";

export type DecisionTrigger = "submit" | "waiver_activated" | "policy_activated";

export interface RecordedDecision {
  decisionId: string;
  evaluation: Evaluation;
  input: EvaluationInput;
}

/** What is stored of the inputs: enough to replay the decision under another policy. */
export function storedInputs(input: EvaluationInput) {
  return { specId: input.specId, specVersionId: input.spec?.versionId ?? null, change: input.change, waivers: input.waivers, budgets: input.budgets };
}

export function summariseFailures(e: Evaluation): string {
  const failed = e.rules.filter((r) => r.status === "fail");
  return failed.length === 0 ? "" : failed.map((r) => r.message).join("; ").slice(0, 1000);
}

export async function evaluateTask(tx: Tx, tenantId: string, task: TaskFacts, now: Date, policy?: ActivePolicy) {
  const input = await loadEvaluationInput(tx, tenantId, task, now, policy);
  const started = performance.now();
  const evaluation = evaluateChange(input);
  return { input, evaluation, evaluationMs: performance.now() - started };
}

export async function insertDecision(
  tx: Tx,
  d: { id?: string; tenantId: string; taskId: string | null; trigger: DecisionTrigger; input: EvaluationInput; evaluation: Evaluation; evaluationMs: number; now: Date },
) {
  const id = d.id ?? randomUUID();
  const e = d.evaluation;
  await tx.constitutionalDecision.create({
    data: {
      id,
      tenantId: d.tenantId,
      taskId: d.taskId,
      taskType: d.input.taskType,
      specId: d.input.specId,
      verdict: e.verdict,
      tier: e.tier,
      policyVersionId: e.policyVersionId,
      specVersionId: e.specVersionId,
      rules: e.rules as object[],
      failedRules: e.rules.filter((r) => r.status === "fail").map((r) => r.rule),
      waiversApplied: e.waiversApplied,
      waiversSkipped: e.waiversSkipped,
      appliedWaiverIds: e.waiversApplied.map((w) => w.id),
      effectiveBudget: e.effectiveBudget === null ? undefined : (e.effectiveBudget as object),
      inputs: JSON.parse(JSON.stringify(storedInputs(d.input))) as object,
      trigger: d.trigger,
      evaluationMs: d.evaluationMs,
      createdAt: d.now,
    },
  });
  return id;
}

export interface DecisionContext {
  actor: AuditActor;
  requestId: string | null;
  now: Date;
}

/** The task state a verdict leads to: allow -> submitted (ready to route), needs_waiver -> waits, deny -> denied. */
export function taskStateFor(e: Evaluation) {
  const reason = summariseFailures(e);
  if (e.verdict === "allow") return { status: "submitted" as const, statusReason: null };
  if (e.verdict === "needs_waiver") return { status: "awaiting_waiver" as const, statusReason: `needs a waiver: ${reason}` };
  return { status: "denied" as const, statusReason: `denied: ${reason}` };
}

/**
 * Evaluates a task that exists (status submitted or awaiting_waiver), records the decision, moves
 * the task to the state the verdict leads to and writes the audit entry, all in `tx`.
 */
export async function decideTask(
  tx: Tx,
  tenantId: string,
  task: TaskFacts & { id: string },
  trigger: DecisionTrigger,
  ctx: DecisionContext,
  policy?: ActivePolicy,
): Promise<RecordedDecision> {
  const { input, evaluation, evaluationMs } = await evaluateTask(tx, tenantId, task, ctx.now, policy);
  const decisionId = await insertDecision(tx, { tenantId, taskId: task.id, trigger, input, evaluation, evaluationMs, now: ctx.now });
  const state = taskStateFor(evaluation);
  await tx.task.update({
    where: { id: task.id },
    data: { constitutionalDecisionId: decisionId, status: state.status, statusReason: state.statusReason, completedAt: state.status === "denied" ? ctx.now : null },
  });
  await recordAudit(tx, {
    tenantId,
    actor: ctx.actor,
    action: "constitution.decided",
    target: { type: "task", id: task.id },
    summary: {
      decisionId,
      verdict: evaluation.verdict,
      trigger,
      failedRules: evaluation.rules.filter((r) => r.status === "fail").map((r) => r.rule),
      waiversApplied: evaluation.waiversApplied.map((w) => w.id),
      policyVersionId: evaluation.policyVersionId,
    },
    requestId: ctx.requestId,
    now: ctx.now,
  });
  return { decisionId, evaluation, input };
}
