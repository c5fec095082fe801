import { afterEach, describe, expect, it, vi } from "vitest";
import { CircuitState } from "cockatiel";
import { backoffDelay, resilient } from "./resilience";
import { searchWithFallback } from "./chain";
import { ProviderError, type ProviderId, type ProviderResult, type SearchProvider } from "./providers/types";

const hit = (n: number): ProviderResult => ({ title: `r${n}`, url: `https://r.test/${n}`, snippet: "", publishedAt: null, source: null });

/** A scripted provider: each call takes the next behaviour (the last one repeats). */
function scripted(id: ProviderId, script: ("ok" | "empty" | "500" | "429" | "hang" | "401")[]) {
  let call = 0;
  const provider: SearchProvider & { calls: () => number } = {
    id,
    calls: () => call,
    async search(_q, { signal }) {
      const step = script[Math.min(call, script.length - 1)]!;
      call += 1;
      if (step === "ok") return [hit(call)];
      if (step === "empty") return [];
      if (step === "500") throw new ProviderError(id, "server_error", "HTTP 500");
      if (step === "429") throw new ProviderError(id, "rate_limited", "HTTP 429", 50);
      if (step === "401") throw new ProviderError(id, "auth", "HTTP 401");
      return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new ProviderError(id, "timeout", "aborted"))));
    },
  };
  return provider;
}

const fast = { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 50, random: () => 0.5 };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("fallback chain", () => {
  it("uses the first healthy provider and records why others were passed over", async () => {
    const failing = scripted("searxng", ["500"]);
    const empty = scripted("brave", ["empty"]);
    const good = scripted("google", ["ok"]);
    const r = await searchWithFallback([resilient(failing, fast), resilient(empty, fast), resilient(good, fast)], "q", 5);
    expect(r.provider).toBe("google");
    expect(r.results).toHaveLength(1);
    expect(r.trail.map((t) => [t.provider, t.outcome, t.attempts])).toEqual([
      ["searxng", "failed", 3],
      ["brave", "empty", 1],
      ["google", "ok", 1],
    ]);
    expect(r.trail[0]!.reason).toContain("server_error");
  });

  it("retries a 429 after the provider's Retry-After and succeeds", async () => {
    const flaky = scripted("brave", ["429", "ok"]);
    const r = await searchWithFallback([resilient(flaky, { ...fast, maxDelayMs: 1000 })], "q", 5);
    expect(r.trail[0]).toMatchObject({ outcome: "ok", attempts: 2 });
    expect(r.trail[0]!.latencyMs).toBeGreaterThanOrEqual(45);
  });

  it("does not retry a refusal of credentials", async () => {
    const refused = scripted("google", ["401"]);
    const r = await searchWithFallback([resilient(refused, fast)], "q", 5);
    expect(r.trail[0]).toMatchObject({ outcome: "failed", attempts: 1 });
    expect(refused.calls()).toBe(1);
  });

  it("moves on from a provider that times out", async () => {
    const slow = scripted("searxng", ["hang"]);
    const good = scripted("duckduckgo", ["ok"]);
    const r = await searchWithFallback([resilient(slow, { ...fast, maxAttempts: 1 }), resilient(good, fast)], "q", 5);
    expect(r.trail[0]).toMatchObject({ provider: "searxng", outcome: "failed", reason: "timed out" });
    expect(r.provider).toBe("duckduckgo");
  });
});

describe("provider quota", () => {
  it("stops calling a provider once its quota is used and moves on, without opening its circuit", async () => {
    const limited = scripted("brave", ["ok"]);
    const backup = scripted("google", ["ok"]);
    const guarded = resilient(limited, { ...fast, quotaPerMinute: 2 });
    const chain = [guarded, resilient(backup, fast)];
    const providers = [];
    for (let i = 0; i < 4; i++) providers.push((await searchWithFallback(chain, "q", 5)).provider);
    expect(providers).toEqual(["brave", "brave", "google", "google"]);
    expect(limited.calls()).toBe(2);
    expect(guarded.quota()).toEqual({ used: 2, limit: 2 });
    expect(guarded.breaker.state).toBe(CircuitState.Closed);
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures, is skipped while open, and closes after a successful probe", async () => {
    let now = 0;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    const provider = scripted("searxng", ["500", "500", "500", "ok"]);
    const guarded = resilient(provider, { ...fast, maxAttempts: 1, breakerThreshold: 3, halfOpenAfterMs: 10_000 });
    const backup = resilient(scripted("local", ["ok"]), fast);
    for (let i = 0; i < 3; i++) await searchWithFallback([guarded, backup], "q", 5);
    expect(guarded.breaker.state).toBe(CircuitState.Open);
    const whileOpen = await searchWithFallback([guarded, backup], "q", 5);
    expect(whileOpen.trail[0]).toMatchObject({ outcome: "skipped", reason: "circuit open" });
    expect(provider.calls()).toBe(3);
    now += 10_001; // half-open: one probe goes through, succeeds, and closes the circuit
    const probe = await searchWithFallback([guarded, backup], "q", 5);
    expect(probe.provider).toBe("searxng");
    expect(guarded.breaker.state).toBe(CircuitState.Closed);
  });
});

describe("backoff", () => {
  it("grows exponentially with jitter, caps, and honours Retry-After", () => {
    const o = { baseDelayMs: 200, maxDelayMs: 5000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, null, { ...o, random: () => 1 }))).toEqual([200, 400, 800, 1600]);
    expect([1, 2, 3].map((n) => backoffDelay(n, null, { ...o, random: () => 0 }))).toEqual([100, 200, 400]);
    expect(backoffDelay(10, null, { ...o, random: () => 1 })).toBe(5000);
    expect(backoffDelay(1, new ProviderError("brave", "rate_limited", "429", 3000), { ...o, random: () => 1 })).toBe(3000);
  });

  it("waits those delays between attempts (fake timers)", async () => {
    vi.useFakeTimers();
    const provider = scripted("brave", ["500", "500", "ok"]);
    const guarded = resilient(provider, { baseDelayMs: 1000, maxDelayMs: 10_000, timeoutMs: 60_000, random: () => 1 });
    const pending = guarded.search("q", 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(provider.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(provider.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(provider.calls()).toBe(2); // after 1,000 ms
    await vi.advanceTimersByTimeAsync(1999);
    expect(provider.calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(provider.calls()).toBe(3); // after a further 2,000 ms
    await expect(pending).resolves.toMatchObject({ ok: true, attempts: 3 });
  });
});
