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
