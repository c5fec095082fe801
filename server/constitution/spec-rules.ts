// The semantic rules of a working spec that its JSON schema cannot express: what each risk tier
// must declare. Errors make the spec invalid; warnings are advice shown apart.
import type { SourceIssue } from "./yaml-source";

type Format = "current" | "legacy";

const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;

/** Observability is a list in the current format and a {logs, metrics, traces} map in the legacy one. */
function declaresObservability(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === "object") return Object.values(v).some(nonEmptyArray);
  return false;
}

export function specTier(spec: Record<string, unknown>): 1 | 2 | 3 | null {
  const t = Number(spec.risk_tier);
  return t === 1 || t === 2 || t === 3 ? t : null;
}

export function semanticSpecIssues(spec: Record<string, unknown>, format: Format, lineOf: (pointer: string) => number | null) {
  const errors: SourceIssue[] = [];
  const warnings: SourceIssue[] = [];
  const error = (path: string, message: string) => errors.push({ path, line: lineOf(path), message });
  const warn = (path: string, message: string) => warnings.push({ path, line: lineOf(path), message });
  const tier = specTier(spec);
  const nonFunctional = (spec.non_functional ?? {}) as Record<string, unknown>;

  if (tier !== null && tier <= 2 && !nonEmptyArray(spec.contracts)) error("/contracts", `tier ${tier} needs at least one contract`);
  if (tier === 1) {
    if (!declaresObservability(spec.observability)) error("/observability", "tier 1 needs observability (logs, metrics or traces)");
    if (!nonEmptyArray(spec.rollback)) error("/rollback", "tier 1 needs a rollback plan");
    if (!nonEmptyArray(nonFunctional.security)) error("/non_functional/security", "tier 1 needs security requirements");
    if (typeof spec.operational_rollback_slo !== "string") error("/operational_rollback_slo", "tier 1 needs an operational rollback SLO");
  }
  const experimental = format === "current" ? (spec.experimental_mode as { enabled?: unknown } | undefined)?.enabled === true : spec.experiment_mode === true;
  if (experimental && tier !== null && tier !== 3) {
    error(format === "current" ? "/experimental_mode" : "/experiment_mode", `experimental mode is allowed only on tier 3, not tier ${tier}`);
  }

  if (format === "legacy") {
    warn("/change_budget", "legacy format: change_budget can only tighten the policy's tier budget; move budgets to the policy");
  }
  const scopeIn = ((spec.scope as { in?: unknown } | undefined)?.in ?? []) as unknown[];
  scopeIn.forEach((entry, i) => {
    if (typeof entry === "string" && ["**", "*", "**/*", ".", "./"].includes(entry.trim())) warn(`/scope/in/${i}`, `"${entry}" puts the whole repository in scope`);
  });
  if (tier !== null && tier <= 2 && Object.keys(nonFunctional).length === 0) warn("/non_functional", `no non-functional requirements for a tier ${tier} spec`);
  const state = spec.lifecycle_state;
  if (state === "closed" || state === "archived") warn("/lifecycle_state", `the spec is ${state}: tasks naming it are denied`);
  return { errors, warnings };
}
