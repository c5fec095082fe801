// Arbiter's policy format: CAWS policy.v1 (risk tiers with change budgets, closed gate vocabulary
// with block/warn/skip modes, waiver rules, non-governed zones, root passthrough) extended with
// what the runtime enforces per tier (quality thresholds, contracts, manual review), what a failed
// gate leads to (on_violation), and the tenant-budget and task rules. A CAWS policy.v1 file is a
// valid Arbiter policy as it is.
export const GATES = [
  "spec_completeness",
  "scope_boundary",
  "budget_limit",
  "coverage_threshold",
  "mutation_threshold",
  "contract_compliance",
  "manual_review",
  "tests_pass",
  "lint",
  "security_scan",
  "tenant_budget",
  // In CAWS's vocabulary but measured by CAWS tooling, not by evidence Arbiter receives: accepted
  // in a policy, reported as not evaluated.
  "god_object",
  "todo_detection",
] as const;
export type GateName = (typeof GATES)[number];

const BROAD = ["**", "*", "**/*", ".", "./", "./**", "/**"];

const gateConfig = {
  type: "object",
  additionalProperties: false,
  required: ["enabled", "mode"],
  properties: {
    enabled: { type: "boolean" },
    mode: { type: "string", enum: ["block", "warn", "skip"] },
    on_violation: { type: "string", enum: ["deny", "needs_waiver"] },
    description: { type: "string" },
    thresholds: { type: "object", additionalProperties: true },
  },
} as const;

const tier = {
  type: "object",
  additionalProperties: false,
  required: ["max_files", "max_loc"],
  properties: {
    max_files: { type: "integer", minimum: 0 },
    max_loc: { type: "integer", minimum: 0 },
    description: { type: "string" },
    min_coverage: { type: "number", minimum: 0, maximum: 1 },
    min_mutation_score: { type: "number", minimum: 0, maximum: 1 },
    requires_contracts: { type: "boolean" },
    requires_manual_review: { type: "boolean" },
  },
} as const;

export const policySchema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "risk_tiers", "gates"],
  allOf: [
    {
      if: { not: { properties: { non_governed_zones_force: { const: true } }, required: ["non_governed_zones_force"] } },
      then: { properties: { non_governed_zones: { type: "array", items: { type: "string", not: { enum: BROAD } } } } },
    },
  ],
  properties: {
    version: { type: "integer", const: 1 },
    risk_tiers: { type: "object", additionalProperties: false, required: ["1", "2", "3"], properties: { "1": tier, "2": tier, "3": tier } },
    gates: {
      type: "object",
      additionalProperties: false,
      required: ["budget_limit", "spec_completeness", "scope_boundary"],
      properties: Object.fromEntries(GATES.map((g) => [g, gateConfig])),
    },
    waivers: {
      type: "object",
      additionalProperties: false,
      properties: {
        min_approvers_for_budget_raise: { type: "integer", minimum: 1 },
        max_active_waivers_per_gate: { type: "integer", minimum: 0 },
        default_expiry_days: { type: "integer", minimum: 1 },
        max_duration_days: { type: "integer", minimum: 1 },
        decision_timeout_days: { type: "integer", minimum: 1 },
        expiry_warning_hours: { type: "integer", minimum: 1 },
      },
    },
    non_governed_zones: { type: "array", items: { type: "string", minLength: 1 } },
    non_governed_zones_force: { type: "boolean" },
    root_passthrough: { type: "array", items: { type: "string", minLength: 1, not: { pattern: "/" } } },
    edit_rules: {
      type: "object",
      additionalProperties: false,
      properties: { policy_and_code_same_pr: { type: "boolean" }, require_signed_commits: { type: "boolean" }, require_dual_control_for_governance: { type: "boolean" } },
    },
    agents: { type: "object", additionalProperties: false, properties: { last_modified_paths_ttl_seconds: { type: "integer", minimum: 60, maximum: 86400 } } },
    tasks: { type: "object", additionalProperties: false, properties: { require_spec: { type: "boolean" } } },
    budgets: { type: "object", additionalProperties: false, properties: { over_budget: { type: "string", enum: ["deny", "needs_waiver"] } } },
  },
} as const;

/** The policy a tenant has before it uploads one: the CAWS defaults (see README "Constitutional runtime"). */
export const DEFAULT_POLICY_YAML = `# Arbiter default policy (CAWS tier defaults)
version: 1
risk_tiers:
  "1": { description: Critical, max_files: 10, max_loc: 250, min_coverage: 0.9, min_mutation_score: 0.7, requires_contracts: true, requires_manual_review: true }
  "2": { description: Standard, max_files: 100, max_loc: 10000, min_coverage: 0.8, min_mutation_score: 0.5, requires_contracts: true }
  "3": { description: Low risk, max_files: 500, max_loc: 40000, min_coverage: 0.7, min_mutation_score: 0.3 }
gates:
  spec_completeness: { enabled: true, mode: block }
  scope_boundary: { enabled: true, mode: block }
  budget_limit: { enabled: true, mode: block, on_violation: deny }
  coverage_threshold: { enabled: true, mode: block }
  mutation_threshold: { enabled: true, mode: block }
  contract_compliance: { enabled: true, mode: block }
  manual_review: { enabled: true, mode: block, on_violation: needs_waiver }
  tests_pass: { enabled: true, mode: block }
  lint: { enabled: true, mode: warn }
  security_scan: { enabled: true, mode: block }
  tenant_budget: { enabled: true, mode: block }
waivers:
  min_approvers_for_budget_raise: 2
  default_expiry_days: 7
  max_duration_days: 30
  decision_timeout_days: 7
  expiry_warning_hours: 48
tasks:
  require_spec: false
budgets:
  over_budget: needs_waiver
`;
