// Runs the constitutional check for a task and records the decision: load inputs, evaluate (pure),
// write the decision with the task's new state and its audit entry in the caller's transaction.
import { randomUUID } from "node:crypto";
import type { Tx } from "@/server/db/client";
import { recordAudit, type AuditActor, type AuditInput } from "@/server/audit/service";
import { Prisma } from "@/server/db/generated/client";
import { evaluateChange, type Evaluation, type EvaluationInput } from "./evaluate";
import { loadEvaluationInput, type ActivePolicy, type TaskFacts } from "./inputs";

export type DecisionTrigger = "submit" | "waiver_activated" | "policy_activated" | "budget_changed" | "budget_renewed";

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

export interface DecisionRow {
  id: string;
  tenantId: string;
  taskId: string | null;
  trigger: DecisionTrigger;
  input: EvaluationInput;
  evaluation: Evaluation;
  evaluationMs: number;
  now: Date;
}

/**
 * The INSERT of decisions, rows in order, as a fragment a caller can run alone or inside a larger
 * statement. The rows travel as one JSON parameter, so the
 * statement's text (and its prepared plan) is the same however many rows a batch holds.
 */
export function decisionsInsert(ds: readonly DecisionRow[]): Prisma.Sql {
  const rows = ds.map((d) => {
    const e = d.evaluation;
    return {
      id: d.id,
      tenantId: d.tenantId,
      taskId: d.taskId,
      taskType: d.input.taskType,
      specId: d.input.specId,
      verdict: e.verdict,
      tier: e.tier,
      policyVersionId: e.policyVersionId,
      specVersionId: e.specVersionId,
      rules: e.rules,
      failedRules: e.rules.filter((r) => r.status === "fail").map((r) => r.rule),
      waiversApplied: e.waiversApplied,
      waiversSkipped: e.waiversSkipped,
      appliedWaiverIds: e.waiversApplied.map((w) => w.id),
      effectiveBudget: e.effectiveBudget,
      inputs: storedInputs(d.input),
      trigger: d.trigger,
      evaluationMs: d.evaluationMs,
      createdAt: d.now,
    };
  });
  return Prisma.sql`
    INSERT INTO constitutional_decisions (id, "tenantId", "taskId", "taskType", "specId", verdict, tier, "policyVersionId", "specVersionId", rules,
      "failedRules", "waiversApplied", "waiversSkipped", "appliedWaiverIds", "effectiveBudget", inputs, trigger, "evaluationMs", "createdAt")
    SELECT id, "tenantId", "taskId", "taskType", "specId", verdict, tier, "policyVersionId", "specVersionId", rules,
      "failedRules", "waiversApplied", "waiversSkipped", "appliedWaiverIds", "effectiveBudget", inputs, trigger, "evaluationMs", "createdAt"
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS d(id text, "tenantId" text, "taskId" text, "taskType" text, "specId" text, verdict "Verdict",
      tier int, "policyVersionId" text, "specVersionId" text, rules jsonb, "failedRules" text[], "waiversApplied" jsonb, "waiversSkipped" jsonb,
      "appliedWaiverIds" text[], "effectiveBudget" jsonb, inputs jsonb, trigger text, "evaluationMs" float8, "createdAt" timestamptz)`;
}

export async function insertDecision(tx: Tx, d: Omit<DecisionRow, "id">) {
  const id = randomUUID();
  await tx.$executeRaw(decisionsInsert([{ ...d, id }]));
  return id;
}

/** The audit entry of a decision; written last in its transaction (it serialises the tenant's chain). */
export function decisionAudit(tenantId: string, taskId: string, decisionId: string, e: Evaluation, trigger: DecisionTrigger, ctx: DecisionContext): AuditInput {
  return {
    tenantId,
    actor: ctx.actor,
    action: "constitution.decided",
    target: { type: "task", id: taskId },
    summary: {
      decisionId,
      verdict: e.verdict,
      trigger,
      failedRules: e.rules.filter((r) => r.status === "fail").map((r) => r.rule),
      waiversApplied: e.waiversApplied.map((w) => w.id),
      policyVersionId: e.policyVersionId,
    },
    requestId: ctx.requestId,
    now: ctx.now,
  };
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
  await recordAudit(tx, decisionAudit(tenantId, task.id, decisionId, evaluation, trigger, ctx));
  return { decisionId, evaluation, input };
}
