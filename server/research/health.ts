// Per-provider health as this process sees it: calls, failures, latency percentiles, the last error,
// quota used in the current window, and the circuit breaker's state.
import type { ProviderId } from "./providers/types";
import type { TrailEntry } from "./chain";

const WINDOW = 500;

interface Stats {
  calls: number;
  failures: number;
  latencies: number[];
  lastError: { at: Date; reason: string } | null;
}

const stats = new Map<ProviderId, Stats>();

export function recordTrail(trail: readonly TrailEntry[], now = new Date()) {
  for (const t of trail) {
    if (t.outcome === "skipped") continue;
    const s = stats.get(t.provider) ?? { calls: 0, failures: 0, latencies: [], lastError: null };
    s.calls += 1;
    if (t.outcome === "failed") {
      s.failures += 1;
      s.lastError = { at: now, reason: t.reason ?? "failed" };
    }
    s.latencies.push(t.latencyMs);
    if (s.latencies.length > WINDOW) s.latencies.shift();
    stats.set(t.provider, s);
  }
}

function pct(sorted: number[], q: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : null;
}

export function providerHealth(id: ProviderId) {
  const s = stats.get(id);
  const sorted = [...(s?.latencies ?? [])].sort((a, b) => a - b);
  return {
    calls: s?.calls ?? 0,
    failures: s?.failures ?? 0,
    errorRate: s && s.calls > 0 ? s.failures / s.calls : null,
    latencyP50Ms: pct(sorted, 0.5),
    latencyP95Ms: pct(sorted, 0.95),
    lastError: s?.lastError ?? null,
  };
}
