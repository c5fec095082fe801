// Per-provider resilience with cockatiel: a timeout per attempt, retries with exponential backoff
// and jitter (honouring Retry-After) on retryable failures, and a circuit breaker that opens after
// consecutive failures and lets one probe through after a pause.
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  DelegateBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IRetryBackoffContext,
} from "cockatiel";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { ProviderError, type SearchProvider } from "./providers/types";

export interface ResilienceOptions {
  /** The provider's quota: calls allowed per minute from this process (null = unlimited). */
  quotaPerMinute: number | null;
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  random: () => number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  quotaPerMinute: null,
  timeoutMs: 5_000,
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  breakerThreshold: 3,
  halfOpenAfterMs: 30_000,
  random: Math.random,
};

const retryable = (error: unknown) => (error instanceof ProviderError && error.retryable) || error instanceof TaskCancelledError;

/** Delay before retry n (1-based): Retry-After when the provider sent one, else exponential with jitter. */
export function backoffDelay(attempt: number, error: unknown, o: Pick<ResilienceOptions, "baseDelayMs" | "maxDelayMs" | "random">): number {
  if (error instanceof ProviderError && error.retryAfterMs !== null) return Math.min(error.retryAfterMs, o.maxDelayMs);
  const exponential = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + o.random() / 2)); // "equal jitter": between half and all of it
}

export interface ResilientProvider {
  provider: SearchProvider;
  breaker: CircuitBreakerPolicy;
  /** Calls used in the current quota window, and the quota. */
  quota(): { used: number; limit: number | null };
  /** Runs a search through timeout, breaker and retry; reports how many attempts it took. */
  search(query: string, limit: number): Promise<SearchOutcome>;
}

export type SearchOutcome =
  | { ok: true; results: Awaited<ReturnType<SearchProvider["search"]>>; attempts: number }
  | { ok: false; error: unknown; attempts: number };

export function resilient(provider: SearchProvider, options: Partial<ResilienceOptions> = {}): ResilientProvider {
  const o = { ...DEFAULT_RESILIENCE, ...options };
  let quotaUsed = 0;
  // A rejected request or our own quota guard says nothing about the provider's health.
  const breaker = circuitBreaker(handleWhen((e) => !(e instanceof ProviderError && (e.kind === "bad_request" || e.kind === "quota"))), {
    halfOpenAfter: o.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(o.breakerThreshold),
  });
  const retryPolicy = retry(handleWhen(retryable), {
    maxAttempts: o.maxAttempts - 1,
    backoff: new DelegateBackoff((ctx: IRetryBackoffContext<unknown>) => backoffDelay(ctx.attempt, "error" in ctx.result ? ctx.result.error : null, o)),
  });
  const policy = wrap(retryPolicy, breaker, timeout(o.timeoutMs, TimeoutStrategy.Aggressive));
  // Stay inside the provider's quota: a call past it fails fast as "rate_limited" (not retried
  // within the window) and the chain moves on, instead of spending the provider's 429s.
  const quota = o.quotaPerMinute ? new RateLimiterMemory({ points: o.quotaPerMinute, duration: 60 }) : null;
  const quotaKey = `quota:${provider.id}`;
  return {
    provider,
    breaker,
    quota: () => ({ used: o.quotaPerMinute === null ? quotaUsed : Math.min(quotaUsed, o.quotaPerMinute), limit: o.quotaPerMinute }),
    async search(query, limit) {
      let attempts = 0;
      try {
        const results = await policy.execute(async ({ signal }) => {
          attempts += 1;
          if (quota) {
            const allowed = await quota.consume(quotaKey).then(
              (r) => ((quotaUsed = r.consumedPoints), true),
              (r: { msBeforeNext?: number; consumedPoints?: number }) => ((quotaUsed = r.consumedPoints ?? quotaUsed), false),
            );
            if (!allowed) throw new ProviderError(provider.id, "quota", `quota of ${o.quotaPerMinute}/min used up`);
          }
          return provider.search(query, { limit, signal });
        });
        return { ok: true, results, attempts };
      } catch (error) {
        return { ok: false, error, attempts };
      }
    },
  };
}

export { BrokenCircuitError, TaskCancelledError };
