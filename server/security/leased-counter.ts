// A shared rate-limit counter, taken from in small leases. Counting every API call in Postgres (or
// Redis) costs a round trip per call and per limit; instead an instance takes a lease of several
// points in one round trip and hands them out in memory until they run out or the window ends. The
// shared counter stays the authority: all instances together never accept more than the limit.
// The price is at the edge of the limit: an instance may hold up to `leaseSize - 1` points it has
// not used yet, so a client at its limit can be refused by another instance that many calls early.
// Leases are 1% of the limit (at most 50 points), and 1 point for limits under 200, where counting
// stays exact. Once a window is exhausted, its refusals are answered from memory until it resets.
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export const LEASE_FRACTION = 0.01;
export const MAX_LEASE = 50;

export function leaseSizeFor(limit: number): number {
  return Math.max(1, Math.min(MAX_LEASE, Math.floor(limit * LEASE_FRACTION)));
}

export interface CounterDecision {
  allowed: boolean;
  /** Points left in the window: the shared counter's, plus this instance's unused lease. */
  remaining: number;
  msBeforeNext: number;
  /** The first refusal this instance gives for this key in this window (audited once, not per call). */
  firstRefusal: boolean;
}

interface Lease {
  points: number;
  resetAt: number;
  /** The shared counter's remaining points when the lease was taken. */
  sharedRemaining: number;
  /** The shared counter reached the limit: once `points` run out, refuse until `resetAt`. */
  exhausted: boolean;
  refused: boolean;
}

export class LeasedCounter {
  private readonly leases = new Map<string, Lease>();
  private readonly leasing = new Map<string, Promise<void>>();
  private lastSweep = 0;

  constructor(
    private readonly shared: RateLimiterAbstract,
    readonly limit: number,
    readonly leaseSize = leaseSizeFor(limit),
    private readonly clock: () => number = Date.now,
  ) {}

  async consume(key: string): Promise<CounterDecision> {
    for (;;) {
      const now = this.clock();
      const lease = this.leases.get(key);
      if (lease && now < lease.resetAt) {
        const msBeforeNext = lease.resetAt - now;
        if (lease.points > 0) {
          lease.points -= 1;
          return { allowed: true, remaining: lease.sharedRemaining + lease.points, msBeforeNext, firstRefusal: false };
        }
        if (lease.exhausted) {
          const firstRefusal = !lease.refused;
          lease.refused = true;
          return { allowed: false, remaining: 0, msBeforeNext, firstRefusal };
        }
      }
      // One lease request per key at a time; concurrent calls wait for it and share its points.
      let pending = this.leasing.get(key);
      if (!pending) {
        pending = this.takeLease(key).finally(() => this.leasing.delete(key));
        this.leasing.set(key, pending);
      }
      await pending;
    }
  }

  private async takeLease(key: string) {
    let res: RateLimiterRes;
    try {
      res = await this.shared.consume(key, this.leaseSize);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      res = refusal; // the counter is past the limit; part of the lease may still have been free
    }
    const takenBefore = res.consumedPoints - this.leaseSize;
    const granted = Math.max(0, Math.min(this.leaseSize, this.limit - takenBefore));
    this.leases.set(key, {
      points: granted,
      resetAt: this.clock() + Math.max(1, res.msBeforeNext),
      sharedRemaining: Math.max(0, this.limit - res.consumedPoints),
      exhausted: res.consumedPoints >= this.limit,
      refused: false,
    });
    this.forgetExpired();
  }

  /** Keys of past windows would otherwise pile up (one per principal and class). */
  private forgetExpired() {
    const now = this.clock();
    if (this.leases.size < 1_000 || now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [key, lease] of this.leases) if (lease.resetAt <= now) this.leases.delete(key);
  }
}
