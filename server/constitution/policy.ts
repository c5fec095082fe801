// Reads a tenant policy (YAML): schema issues and semantic issues with path and line, and, when it
// is valid, the normalised policy the evaluator works with. Never throws on bad input.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parseYamlMapping, schemaIssues, type SourceIssue } from "./yaml-source";
import { DEFAULT_POLICY_YAML, GATES, policySchema, type GateName } from "./policy-schema";

export type Tier = 1 | 2 | 3;
export type Outcome = "deny" | "needs_waiver";

export interface TierRules {
  maxFiles: number;
  maxLoc: number;
  minCoverage: number | null;
  minMutationScore: number | null;
  requiresContracts: boolean;
  requiresManualReview: boolean;
}

export interface GateRule {
  /** off = disabled or mode skip; the gate is not evaluated. */
  mode: "block" | "warn" | "off";
  onViolation: Outcome;
}

export interface Policy {
  tiers: Record<Tier, TierRules>;
  gates: Record<GateName, GateRule>;
  waivers: {
    minApproversForBudgetRaise: number;
    maxActivePerGate: number;
    defaultExpiryDays: number;
    maxDurationDays: number;
    decisionTimeoutDays: number;
    expiryWarningHours: number;
  };
  nonGovernedZones: string[];
  rootPassthrough: string[];
  requireSpec: boolean;
  overBudget: Outcome;
}

export type PolicyValidation =
  | { valid: true; errors: []; warnings: SourceIssue[]; policy: Policy }
  | { valid: false; errors: SourceIssue[]; warnings: SourceIssue[]; policy: null };

const validate = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(policySchema);

interface RawGate {
  enabled: boolean;
  mode: "block" | "warn" | "skip";
  on_violation?: Outcome;
}
interface RawTier {
  max_files: number;
  max_loc: number;
  min_coverage?: number;
  min_mutation_score?: number;
  requires_contracts?: boolean;
  requires_manual_review?: boolean;
}
interface RawPolicy {
  risk_tiers: Record<"1" | "2" | "3", RawTier>;
  gates: Partial<Record<GateName, RawGate>>;
  waivers?: {
    min_approvers_for_budget_raise?: number;
    max_active_waivers_per_gate?: number;
    default_expiry_days?: number;
    max_duration_days?: number;
    decision_timeout_days?: number;
    expiry_warning_hours?: number;
  };
  non_governed_zones?: string[];
  root_passthrough?: string[];
  tasks?: { require_spec?: boolean };
  budgets?: { over_budget?: Outcome };
}

function normalise(raw: RawPolicy): Policy {
  const tier = (t: RawTier): TierRules => ({
    maxFiles: t.max_files,
    maxLoc: t.max_loc,
    minCoverage: t.min_coverage ?? null,
    minMutationScore: t.min_mutation_score ?? null,
    requiresContracts: t.requires_contracts ?? false,
    requiresManualReview: t.requires_manual_review ?? false,
  });
  // A gate the policy does not mention is not enforced (CAWS requires only the first three).
  const gates = Object.fromEntries(
    GATES.map((g) => {
      const r = raw.gates[g];
      const mode = !r || !r.enabled || r.mode === "skip" ? "off" : r.mode;
      return [g, { mode, onViolation: r?.on_violation ?? "deny" }];
    }),
  ) as Record<GateName, GateRule>;
  const w = raw.waivers ?? {};
  return {
    tiers: { 1: tier(raw.risk_tiers["1"]), 2: tier(raw.risk_tiers["2"]), 3: tier(raw.risk_tiers["3"]) },
    gates,
    waivers: {
      minApproversForBudgetRaise: w.min_approvers_for_budget_raise ?? 2,
      maxActivePerGate: w.max_active_waivers_per_gate ?? 0,
      defaultExpiryDays: w.default_expiry_days ?? 7,
      maxDurationDays: w.max_duration_days ?? 30,
      decisionTimeoutDays: w.decision_timeout_days ?? 7,
      expiryWarningHours: w.expiry_warning_hours ?? 48,
    },
    nonGovernedZones: raw.non_governed_zones ?? [],
    rootPassthrough: raw.root_passthrough ?? [],
    requireSpec: raw.tasks?.require_spec ?? false,
    overBudget: raw.budgets?.over_budget ?? "needs_waiver",
  };
}

export function validatePolicy(text: string): PolicyValidation {
  const parsed = parseYamlMapping(text, "policy");
  if (!parsed.ok) return { valid: false, errors: parsed.errors, warnings: [], policy: null };
  if (!validate(parsed.value)) return { valid: false, errors: schemaIssues(validate.errors, parsed.lineOf), warnings: [], policy: null };
  const raw = parsed.value as unknown as RawPolicy;
  const errors: SourceIssue[] = [];
  const warnings: SourceIssue[] = [];
  const at = (path: string, message: string) => ({ path, line: parsed.lineOf(path), message });
  const w = raw.waivers ?? {};
  if ((w.default_expiry_days ?? 7) > (w.max_duration_days ?? 30)) {
    errors.push(at("/waivers/default_expiry_days", "default_expiry_days is longer than max_duration_days"));
  }
  const tiers = raw.risk_tiers;
  for (const [stricter, looser] of [["1", "2"], ["2", "3"]] as const) {
    for (const key of ["max_files", "max_loc"] as const) {
      if (tiers[stricter][key] > tiers[looser][key]) warnings.push(at(`/risk_tiers/${stricter}/${key}`, `tier ${stricter} allows more than tier ${looser} (${tiers[stricter][key]} > ${tiers[looser][key]})`));
    }
  }
  const needsGate: [keyof RawTier, GateName][] = [
    ["min_coverage", "coverage_threshold"],
    ["min_mutation_score", "mutation_threshold"],
    ["requires_contracts", "contract_compliance"],
    ["requires_manual_review", "manual_review"],
  ];
  for (const [field, gate] of needsGate) {
    const declared = (["1", "2", "3"] as const).some((t) => tiers[t][field] !== undefined && tiers[t][field] !== false);
    const g = raw.gates[gate];
    if (declared && (!g || !g.enabled || g.mode === "skip")) warnings.push(at(`/gates`, `tiers set ${field} but the ${gate} gate is off, so it is not enforced`));
  }
  for (const gate of ["god_object", "todo_detection"] as const) {
    if (raw.gates[gate]?.enabled) warnings.push(at(`/gates/${gate}`, `${gate} is measured by CAWS tooling; Arbiter does not evaluate it`));
  }
  if (errors.length > 0) return { valid: false, errors, warnings, policy: null };
  return { valid: true, errors: [], warnings, policy: normalise(raw) };
}

const defaultValidation = validatePolicy(DEFAULT_POLICY_YAML);
if (!defaultValidation.valid) throw new Error(`The built-in default policy is invalid: ${JSON.stringify(defaultValidation.errors)}`);
export const DEFAULT_POLICY: Policy = defaultValidation.policy;
