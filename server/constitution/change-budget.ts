// A change's effective budget: the spec tier's baseline (a legacy spec's own change_budget can only
// tighten it) plus the positive deltas of the usable waivers that cover budget_limit, each part with
// where it came from. Pure.
import type { Policy, Tier } from "./policy";
import type { WaiverFacts } from "./waiver-rules";

export interface LimitPart {
  source: string;
  amount: number;
}

export interface EffectiveLimit {
  limit: number;
  parts: LimitPart[];
}

/** Tier baseline, tightened by a legacy spec's own change_budget, plus the deltas of usable waivers. */
export function changeBudget(policy: Policy, tier: Tier, spec: Record<string, unknown>, usable: WaiverFacts[], specId: string | null) {
  const legacy = spec.change_budget as { max_files?: number; max_loc?: number } | undefined;
  const limitFor = (baseline: number, legacyLimit: number | undefined, delta: (w: WaiverFacts) => number | null): EffectiveLimit => {
    const parts: LimitPart[] =
      legacyLimit !== undefined && legacyLimit < baseline ? [{ source: `spec ${specId} change_budget (legacy)`, amount: legacyLimit }] : [{ source: `tier ${tier} baseline`, amount: baseline }];
    for (const w of usable) {
      const d = delta(w);
      if (w.gates.includes("budget_limit") && d !== null && d > 0) parts.push({ source: `waiver ${w.id}`, amount: d });
    }
    return { limit: parts.reduce((s, p) => s + p.amount, 0), parts };
  };
  return {
    maxFiles: limitFor(policy.tiers[tier].maxFiles, legacy?.max_files, (w) => w.deltaFiles),
    maxLoc: limitFor(policy.tiers[tier].maxLoc, legacy?.max_loc, (w) => w.deltaLoc),
  };
}
