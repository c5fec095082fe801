// The fallback chain: providers in the tenant's order; a query goes to the first healthy one and
// moves on (recording why) on a timeout, 5xx, 429, other failure, an open circuit, or no results.
import { BrokenCircuitError, TaskCancelledError, type ResilientProvider } from "./resilience";
import { ProviderError, type ProviderId, type ProviderResult } from "./providers/types";

export interface TrailEntry {
  provider: ProviderId;
  outcome: "ok" | "empty" | "failed" | "skipped";
  reason: string | null;
  attempts: number;
  latencyMs: number;
  results: number;
}

export interface ChainResult {
  provider: ProviderId | null;
  results: ProviderResult[];
  trail: TrailEntry[];
}

function describe(error: unknown): string {
  if (error instanceof BrokenCircuitError) return "circuit open";
  if (error instanceof TaskCancelledError) return "timed out";
  if (error instanceof ProviderError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export async function searchWithFallback(chain: readonly ResilientProvider[], query: string, limit: number): Promise<ChainResult> {
  const trail: TrailEntry[] = [];
  for (const p of chain) {
    const started = performance.now();
    const entry = (outcome: TrailEntry["outcome"], reason: string | null, attempts: number, results = 0): TrailEntry => ({
      provider: p.provider.id,
      outcome,
      reason,
      attempts,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      results,
    });
    // An open circuit refuses at once (BrokenCircuitError) until its pause has passed; then it lets
    // one probe through.
    const outcome = await p.search(query, limit);
    if (!outcome.ok && outcome.error instanceof BrokenCircuitError) {
      trail.push(entry("skipped", "circuit open", 0));
      continue;
    }
    if (!outcome.ok) {
      trail.push(entry("failed", describe(outcome.error), outcome.attempts));
      continue;
    }
    if (outcome.results.length === 0) {
      trail.push(entry("empty", "no results", outcome.attempts));
      continue;
    }
    trail.push(entry("ok", null, outcome.attempts, outcome.results.length));
    return { provider: p.provider.id, results: outcome.results, trail };
  }
  return { provider: null, results: [], trail };
}

/**
 * Fan-out: the first `k` providers in parallel, every answer kept (to be merged and ranked by the
 * caller); if none of them has results, the rest of the chain is tried in order.
 */
export async function searchFanOut(
  chain: readonly ResilientProvider[],
  query: string,
  limit: number,
  k: number,
): Promise<{ batches: { provider: ProviderId; results: ProviderResult[] }[]; trail: TrailEntry[] }> {
  const first = chain.slice(0, k);
  const started = performance.now();
  const outcomes = await Promise.all(first.map((p) => p.search(query, limit)));
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const trail: TrailEntry[] = [];
  const batches: { provider: ProviderId; results: ProviderResult[] }[] = [];
  outcomes.forEach((o, i) => {
    const provider = first[i]!.provider.id;
    if (!o.ok) {
      const skipped = o.error instanceof BrokenCircuitError;
      trail.push({ provider, outcome: skipped ? "skipped" : "failed", reason: describe(o.error), attempts: o.attempts, latencyMs, results: 0 });
    } else if (o.results.length === 0) {
      trail.push({ provider, outcome: "empty", reason: "no results", attempts: o.attempts, latencyMs, results: 0 });
    } else {
      trail.push({ provider, outcome: "ok", reason: null, attempts: o.attempts, latencyMs, results: o.results.length });
      batches.push({ provider, results: o.results });
    }
  });
  if (batches.length > 0) return { batches, trail };
  const rest = await searchWithFallback(chain.slice(k), query, limit);
  return { batches: rest.provider ? [{ provider: rest.provider, results: rest.results }] : [], trail: [...trail, ...rest.trail] };
}
