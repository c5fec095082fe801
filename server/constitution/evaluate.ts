// The constitutional check of one task, as a pure function of its inputs and `now`: spec -> scope ->
// change budget (tier baseline plus applicable waivers' deltas) -> quality gates of the tier ->
// tenant budgets -> verdict. The service around it loads the inputs and records the decision.
import type { GateName } from "./policy-schema";
import type { Outcome, Policy, Tier } from "./policy";
import type { SpecValidation } from "./spec-validator";
import { specTier } from "./spec-rules";
import { compileScope, isRootLevel, normalisePath } from "./scope";
import { raisesBudget, requiredApprovals, waiverState, type WaiverFacts } from "./waiver-rules";
import { changeBudget, type EffectiveLimit } from "./change-budget";

export type { EffectiveLimit, LimitPart } from "./change-budget";

export type Verdict = "allow" | "deny" | "needs_waiver";
export type RuleStatus = "pass" | "fail" | "warn" | "waived" | "skip";

export interface ChangeEvidence {
  coverage?: number;
  mutationScore?: number;
  testsPassed?: boolean;
  lintPassed?: boolean;
  securityScan?: "pass" | "fail";
  contractTestsPassed?: boolean;
  manualReview?: boolean;
}

export interface ChangeProposal {
  files: string[];
  linesAdded: number;
  linesRemoved: number;
  evidence: ChangeEvidence;
}

export interface SpecFacts {
  specId: string;
  versionId: string | null;
  version: number | null;
  validation: SpecValidation;
}

export interface BudgetFacts {
  id: string;
  /** null = the whole tenant */
  taskType: string | null;
  tasksPerDay: number | null;
  costUnitsPerMonth: number | null;
  tasksToday: number;
  costThisMonth: number;
}

export interface EvaluationInput {
  now: Date;
  policy: Policy;
  policyVersionId: string | null;
  taskType: string;
  /** The spec the task names, if any. */
  specId: string | null;
  /** The named spec's current version; null when none is named or it is not on file. */
  spec: SpecFacts | null;
  change: ChangeProposal | null;
  waivers: WaiverFacts[];
  budgets: BudgetFacts[];
}

export interface RuleResult {
  rule: string;
  gate: GateName;
  status: RuleStatus;
  message: string;
  /** What a failure leads to (only on status fail). */
  outcome?: Outcome;
  waivedBy?: string[];
}

export interface Evaluation {
  verdict: Verdict;
  tier: Tier | null;
  policyVersionId: string | null;
  specVersionId: string | null;
  rules: RuleResult[];
  waiversApplied: { id: string; gates: GateName[]; raisedFiles: number; raisedLoc: number }[];
  waiversSkipped: { id: string; reason: string }[];
  effectiveBudget: { maxFiles: EffectiveLimit; maxLoc: EffectiveLimit } | null;
}

const list = (paths: string[]) => paths.slice(0, 5).join(", ") + (paths.length > 5 ? ` and ${paths.length - 5} more` : "");

export function evaluateChange(input: EvaluationInput): Evaluation {
  const { policy, now, change } = input;
  const validSpec = input.spec?.validation.parsed && input.spec.validation.valid ? input.spec.validation.spec : null;
  const tier = validSpec ? specTier(validSpec) : null;
  const rules: RuleResult[] = [];
  const skipped = new Map<string, string>();

  // Waivers that could apply to this task; the rest are skipped with their reason.
  const waivers = [...input.waivers].sort((a, b) => a.id.localeCompare(b.id));
  const usable: WaiverFacts[] = [];
  for (const w of waivers) {
    const state = waiverState(w, now, policy);
    const needed = requiredApprovals(w, tier, policy);
    if (state === "expired") skipped.set(w.id, `expired at ${w.expiresAt.toISOString()}`);
    else if (state === "lapsed") skipped.set(w.id, "lapsed: nobody decided it in time");
    else if (state === "proposed") skipped.set(w.id, `not approved yet (${w.approvals} of ${needed} approvals)`);
    else if (state !== "active") skipped.set(w.id, state);
    else if (w.specId !== null && w.specId !== input.specId) skipped.set(w.id, `for another spec (${w.specId})`);
    else if (w.taskType !== null && w.taskType !== input.taskType) skipped.set(w.id, `for another task type (${w.taskType})`);
    else if (w.approvals < needed) skipped.set(w.id, `not enough approvers (${w.approvals} of ${needed})`);
    else usable.push(w);
  }
  const applied = new Map<string, { gates: Set<GateName>; raisedFiles: number; raisedLoc: number }>();
  const markApplied = (w: WaiverFacts, gate: GateName, files = 0, loc = 0) => {
    const a = applied.get(w.id) ?? { gates: new Set<GateName>(), raisedFiles: 0, raisedLoc: 0 };
    a.gates.add(gate);
    a.raisedFiles += files;
    a.raisedLoc += loc;
    applied.set(w.id, a);
  };

  /** Records a rule's raw result, applying the gate's mode and any waiver that covers a failure. */
  const record = (rule: string, gate: GateName, passed: boolean, message: string, outcome: Outcome = policy.gates[gate].onViolation) => {
    const mode = policy.gates[gate].mode;
    if (mode === "off") return rules.push({ rule, gate, status: "skip", message: `${gate} is off in the policy` });
    if (passed) return rules.push({ rule, gate, status: "pass", message });
    if (mode === "warn") return rules.push({ rule, gate, status: "warn", message });
    // A budget waiver with a delta raises the budget (see changeBudget); only one without a delta
    // waives the budget gate outright.
    const covering = usable.filter((w) => w.gates.includes(gate) && (gate !== "budget_limit" || !raisesBudget(w)));
    if (covering.length > 0) {
      covering.forEach((w) => markApplied(w, gate));
      return rules.push({ rule, gate, status: "waived", message, waivedBy: covering.map((w) => w.id) });
    }
    const notApplying = waivers.filter((w) => w.gates.includes(gate) && skipped.has(w.id)).map((w) => `${w.id} ${skipped.get(w.id)}`);
    const why = notApplying.length ? `; waiver ${notApplying.join("; ")}` : "";
    return rules.push({ rule, gate, status: "fail", message: message + why, outcome });
  };
  const skip = (rule: string, gate: GateName, message: string) => rules.push({ rule, gate, status: "skip", message });

  // 1. The spec.
  if (input.specId === null) {
    if (policy.requireSpec) record("spec.named", "spec_completeness", false, "the task names no spec and the policy requires one");
    else skip("spec.named", "spec_completeness", "the task names no spec");
  } else if (!input.spec) {
    record("spec.exists", "spec_completeness", false, `spec ${input.specId} is not on file`);
  } else {
    const v = input.spec.validation;
    const first = v.errors[0];
    const label = `spec ${input.specId} v${input.spec.version ?? "?"}`;
    record(
      "spec.valid",
      "spec_completeness",
      v.parsed && v.valid,
      v.parsed && v.valid ? `${label} is valid (${v.format} format)` : `${label} is invalid: ${v.errors.length} error(s), first at ${first?.path} line ${first?.line ?? "?"}: ${first?.message}`,
    );
    const state = validSpec?.lifecycle_state;
    if (state === "closed" || state === "archived") record("spec.lifecycle", "spec_completeness", false, `${label} is ${state}`);
  }

  // 2-4. Scope, change budget and quality gates need a valid spec and a change.
  let effectiveBudget: Evaluation["effectiveBudget"] = null;
  const changeRules = ["scope.out", "scope.in", "budget.max_files", "budget.max_loc", "gate.coverage", "gate.mutation", "gate.contracts", "gate.manual_review", "gate.tests", "gate.lint", "gate.security_scan"];
  const gateOf: Record<string, GateName> = {
    "scope.out": "scope_boundary",
    "scope.in": "scope_boundary",
    "budget.max_files": "budget_limit",
    "budget.max_loc": "budget_limit",
    "gate.coverage": "coverage_threshold",
    "gate.mutation": "mutation_threshold",
    "gate.contracts": "contract_compliance",
    "gate.manual_review": "manual_review",
    "gate.tests": "tests_pass",
    "gate.lint": "lint",
    "gate.security_scan": "security_scan",
  };
  if (!change || !validSpec || tier === null) {
    const why = !change ? "the task carries no change proposal" : "there is no valid spec to check the change against";
    for (const r of changeRules) skip(r, gateOf[r]!, why);
  } else {
    const files = [...new Set(change.files.map(normalisePath))].sort();
    const scope = (validSpec.scope ?? {}) as { in?: string[]; out?: string[] };
    const ungoverned = compileScope(policy.nonGovernedZones);
    const governed = files.filter((f) => !ungoverned(f));
    const outside = compileScope(scope.out ?? []);
    const inside = compileScope(scope.in ?? []);
    const excluded = governed.filter(outside);
    record("scope.out", "scope_boundary", excluded.length === 0, excluded.length ? `scope violation: ${list(excluded)} in scope.out` : "no path in scope.out");
    const stray = governed.filter((f) => !outside(f) && !inside(f) && !(isRootLevel(f) && policy.rootPassthrough.includes(f)));
    record("scope.in", "scope_boundary", stray.length === 0, stray.length ? `scope violation: ${list(stray)} outside scope.in` : `all ${governed.length} governed path(s) inside scope.in`);

    effectiveBudget = changeBudget(policy, tier, validSpec, usable, input.specId);
    const loc = change.linesAdded + change.linesRemoved;
    for (const [rule, measured, limit, baseline, unit] of [
      ["budget.max_files", files.length, effectiveBudget.maxFiles, effectiveBudget.maxFiles.parts[0]!.amount, "files"],
      ["budget.max_loc", loc, effectiveBudget.maxLoc, effectiveBudget.maxLoc.parts[0]!.amount, "lines"],
    ] as const) {
      const within = measured <= limit.limit;
      if (within && measured > baseline) {
        // Within budget only thanks to waivers' deltas: those waivers applied.
        for (const part of limit.parts.slice(1)) {
          const w = usable.find((x) => x.id === part.source.replace(/^waiver /, ""));
          if (w && part.amount > 0) markApplied(w, "budget_limit", unit === "files" ? part.amount : 0, unit === "lines" ? part.amount : 0);
        }
      }
      const raisedBy = limit.limit - limit.parts[0]!.amount;
      const over = measured - limit.limit;
      record(
        rule,
        "budget_limit",
        within,
        within
          ? `${measured} ${unit} within ${limit.limit}${raisedBy > 0 ? ` (tier ${tier} budget raised by ${raisedBy} by waiver)` : ""}`
          : `${measured} ${unit} exceeds the budget of ${limit.limit} by ${over}`,
      );
    }

    const t = policy.tiers[tier];
    const ev = change.evidence;
    const threshold = (rule: string, gate: GateName, name: string, min: number | null, value: number | undefined) => {
      if (min === null) return skip(rule, gate, `tier ${tier} sets no ${name} threshold`);
      if (value === undefined) return record(rule, gate, false, `${gate}: no ${name} reported (tier ${tier} needs ${min})`);
      record(rule, gate, value >= min, value >= min ? `${name} ${value} meets tier ${tier}'s ${min}` : `${gate}: ${name} ${value} is below tier ${tier}'s ${min}`);
    };
    threshold("gate.coverage", "coverage_threshold", "coverage", t.minCoverage, ev.coverage);
    threshold("gate.mutation", "mutation_threshold", "mutation score", t.minMutationScore, ev.mutationScore);
    if (!t.requiresContracts) skip("gate.contracts", "contract_compliance", `tier ${tier} does not require contracts`);
    else {
      const hasContracts = Array.isArray(validSpec.contracts) && validSpec.contracts.length > 0;
      record(
        "gate.contracts",
        "contract_compliance",
        hasContracts && ev.contractTestsPassed !== false,
        !hasContracts ? "contract_compliance: the spec declares no contract" : ev.contractTestsPassed === false ? "contract_compliance: contract tests failed" : "contracts declared and not failing",
      );
    }
    if (!t.requiresManualReview) skip("gate.manual_review", "manual_review", `tier ${tier} does not require manual review`);
    else record("gate.manual_review", "manual_review", ev.manualReview === true, ev.manualReview === true ? "manually reviewed" : `manual_review: tier ${tier} needs a manual review`);
    const evidenceGate = (rule: string, gate: GateName, value: boolean | undefined, what: string) =>
      record(rule, gate, value === true, value === undefined ? `${gate}: no ${what} result reported` : value ? `${what} passed` : `${gate}: ${what} failed`);
    evidenceGate("gate.tests", "tests_pass", ev.testsPassed, "test");
    evidenceGate("gate.lint", "lint", ev.lintPassed, "lint");
    evidenceGate("gate.security_scan", "security_scan", ev.securityScan === undefined ? undefined : ev.securityScan === "pass", "security scan");
  }

  // 5. Tenant budgets: every budget that covers this task must hold (tenant-wide and per task type).
  for (const b of [...input.budgets].sort((a, c) => a.id.localeCompare(c.id))) {
    if (b.taskType !== null && b.taskType !== input.taskType) continue;
    const scope = b.taskType === null ? "tenant" : `task type ${b.taskType}`;
    if (b.tasksPerDay !== null) {
      const after = b.tasksToday + 1;
      record(
        `tenant_budget.tasks_per_day${b.taskType ? `:${b.taskType}` : ""}`,
        "tenant_budget",
        after <= b.tasksPerDay,
        after <= b.tasksPerDay ? `task ${after} of ${b.tasksPerDay} today (${scope})` : `tenant budget: ${b.tasksToday} of ${b.tasksPerDay} tasks used today (${scope})`,
        policy.overBudget,
      );
    }
    if (b.costUnitsPerMonth !== null) {
      const within = b.costThisMonth < b.costUnitsPerMonth;
      record(
        `tenant_budget.cost_per_month${b.taskType ? `:${b.taskType}` : ""}`,
        "tenant_budget",
        within,
        within ? `${round(b.costThisMonth)} of ${b.costUnitsPerMonth} cost units this month (${scope})` : `tenant budget: ${round(b.costThisMonth)} of ${b.costUnitsPerMonth} cost units used this month (${scope})`,
        policy.overBudget,
      );
    }
  }

  for (const w of usable) {
    if (!applied.has(w.id)) skipped.set(w.id, `gate not covered: it covers ${w.gates.join(", ")}, and none of those failed`);
  }
  const failures = rules.filter((r) => r.status === "fail");
  const verdict: Verdict = failures.some((r) => r.outcome === "deny") ? "deny" : failures.length > 0 ? "needs_waiver" : "allow";
  return {
    verdict,
    tier,
    policyVersionId: input.policyVersionId,
    specVersionId: input.spec?.versionId ?? null,
    rules,
    waiversApplied: [...applied].map(([id, a]) => ({ id, gates: [...a.gates].sort(), raisedFiles: a.raisedFiles, raisedLoc: a.raisedLoc })),
    waiversSkipped: [...skipped].map(([id, reason]) => ({ id, reason })).sort((a, b) => a.id.localeCompare(b.id)),
    effectiveBudget,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
