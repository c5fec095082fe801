// "What would happen if": a dry run of a spec + change against a policy without creating a task,
// and the impact preview that replays recent decisions under a policy version before activation.
import type { Db } from "@/server/db/client";
import { NotFound } from "@/server/errors";
import { evaluateChange, type BudgetFacts, type ChangeProposal, type EvaluationInput, type SpecFacts, type Verdict } from "./evaluate";
import { activePolicy, loadEvaluationInput, policyFromVersion, type ActivePolicy } from "./inputs";
import { validateSpec } from "./spec-validator";
import type { WaiverFacts } from "./waiver-rules";
import type { DryRunInput } from "./schemas";

async function policyVersion(db: Db, tenantId: string, id: string): Promise<ActivePolicy> {
  const v = await db.policyVersion.findFirst({ where: { tenantId, id }, select: { id: true, version: true, content: true } });
  if (!v) throw new NotFound("Policy version not found");
  return { policy: policyFromVersion(v), versionId: v.id, version: v.version };
}

export async function dryRun(db: Db, tenantId: string, input: DryRunInput, now = new Date()) {
  const policy = input.policyVersionId ? await policyVersion(db, tenantId, input.policyVersionId) : await activePolicy(db, tenantId);
  const evaluationInput = await loadEvaluationInput(db, tenantId, { taskType: input.taskType, specId: input.specId ?? null, change: input.change ?? null }, now, policy);
  return { policyVersion: policy.version, ...evaluateChange(evaluationInput) };
}

interface StoredInputs {
  specId: string | null;
  specVersionId: string | null;
  change: ChangeProposal | null;
  waivers: (Omit<WaiverFacts, "requestedAt" | "expiresAt"> & { requestedAt: string; expiresAt: string })[];
  budgets: BudgetFacts[];
}

const MAX_REPLAYED = 5000;

export async function impactPreview(db: Db, tenantId: string, policyVersionId: string, days: number, now = new Date()) {
  const candidate = await policyVersion(db, tenantId, policyVersionId);
  const since = new Date(now.getTime() - days * 86_400_000);
  const decisions = await db.constitutionalDecision.findMany({
    where: { tenantId, createdAt: { gte: since }, taskId: { not: null } },
    orderBy: { createdAt: "desc" },
    take: MAX_REPLAYED + 1,
    select: { id: true, taskId: true, taskType: true, verdict: true, inputs: true, createdAt: true, policyVersionId: true },
  });
  const truncated = decisions.length > MAX_REPLAYED;
  const replayed = decisions.slice(0, MAX_REPLAYED);
  const specIds = [...new Set(replayed.map((d) => (d.inputs as unknown as StoredInputs).specVersionId).filter((x): x is string => x !== null))];
  const specRows = specIds.length ? await db.specVersion.findMany({ where: { tenantId, id: { in: specIds } }, select: { id: true, specId: true, version: true, content: true } }) : [];
  const specs = new Map<string, SpecFacts>(specRows.map((s) => [s.id, { specId: s.specId, versionId: s.id, version: s.version, validation: validateSpec(s.content) }]));

  const flips = new Map<string, { from: Verdict; to: Verdict; count: number; examples: { decisionId: string; taskId: string | null; at: Date; reason: string }[] }>();
  let unchanged = 0;
  for (const d of replayed) {
    const stored = d.inputs as unknown as StoredInputs;
    const input: EvaluationInput = {
      now: d.createdAt,
      policy: candidate.policy,
      policyVersionId: candidate.versionId,
      taskType: d.taskType,
      specId: stored.specId,
      spec: stored.specVersionId ? (specs.get(stored.specVersionId) ?? null) : null,
      change: stored.change,
      waivers: stored.waivers.map((w) => ({ ...w, requestedAt: new Date(w.requestedAt), expiresAt: new Date(w.expiresAt) })),
      budgets: stored.budgets,
    };
    const replay = evaluateChange(input);
    if (replay.verdict === d.verdict) {
      unchanged++;
      continue;
    }
    const key = `${d.verdict}->${replay.verdict}`;
    const flip = flips.get(key) ?? { from: d.verdict, to: replay.verdict, count: 0, examples: [] };
    flip.count++;
    const reason = replay.rules.find((r) => r.status === "fail")?.message ?? "all rules pass under the new policy";
    if (flip.examples.length < 5) flip.examples.push({ decisionId: d.id, taskId: d.taskId, at: d.createdAt, reason });
    flips.set(key, flip);
  }
  return { policyVersion: candidate.version, days, replayed: replayed.length, truncated, unchanged, flips: [...flips.values()].sort((a, b) => b.count - a.count) };
}
