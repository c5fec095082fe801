import { describe, expect, it } from "vitest";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { LeasedCounter, leaseSizeFor } from "./leased-counter";

/** The library's in-memory store stands in for the shared (Postgres/Redis) one: same semantics. */
function sharedStore(limit: number, windowSeconds = 60) {
  const store = new RateLimiterMemory({ points: limit, duration: windowSeconds });
  let calls = 0;
  const consume = store.consume.bind(store);
  store.consume = (key, points, options) => {
    calls += 1;
    return consume(key, points, options);
  };
  return { store, calls: () => calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("leased rate-limit counter", () => {
  it("sizes leases at 1% of the limit, 1 point under 200 (exact) and at most 50", () => {
    expect([leaseSizeFor(4), leaseSizeFor(199), leaseSizeFor(250), leaseSizeFor(1_000), leaseSizeFor(60_000)]).toEqual([1, 1, 2, 10, 50]);
  });

  it("serves calls from a lease: 1,000 calls, sequential or concurrent, take 20 round trips to the shared counter", async () => {
    const sequential = sharedStore(100_000);
    const a = new LeasedCounter(sequential.store, 100_000);
    for (let i = 0; i < 1_000; i++) expect((await a.consume("k")).allowed).toBe(true);
    expect(sequential.calls()).toBe(20);

    const concurrent = sharedStore(100_000);
    const b = new LeasedCounter(concurrent.store, 100_000);
    const decisions = await Promise.all(Array.from({ length: 1_000 }, () => b.consume("k")));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(concurrent.calls()).toBe(20);
    expect((await concurrent.store.get("k"))?.consumedPoints).toBe(1_000);
  });

  it("two instances on one counter accept exactly the limit, including a lease that is only partly free", async () => {
    const { store } = sharedStore(1_005);
    const first = new LeasedCounter(store, 1_005);
    const second = new LeasedCounter(store, 1_005);
    expect(first.leaseSize).toBe(10);
    const decisions = await Promise.all(Array.from({ length: 3_000 }, (_, i) => (i % 2 ? first : second).consume("tenant")));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(1_005);
  });

  it("reports what is left: the shared counter's remainder plus the unused lease", async () => {
    const { store } = sharedStore(1_000);
    const counter = new LeasedCounter(store, 1_000);
    const first = await counter.consume("k");
    expect(first).toMatchObject({ allowed: true, remaining: 999, firstRefusal: false });
    expect(first.msBeforeNext).toBeGreaterThan(59_000);
  });

  it("refuses from memory once the window is exhausted, flags only the first refusal, and counts afresh after the reset", async () => {
    const shared = sharedStore(3, 1);
    const counter = new LeasedCounter(shared.store, 3);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await counter.consume("k"));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false, false]);
    expect(results.map((r) => r.firstRefusal)).toEqual([false, false, false, true, false, false]);
    expect(shared.calls()).toBe(3); // the lease that reached the limit marked the window exhausted: refusals cost no round trip
    await sleep(results[5]!.msBeforeNext + 50);
    expect(await counter.consume("k")).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("never spends a lease after its window has ended", async () => {
    const shared = sharedStore(1_000, 1);
    const counter = new LeasedCounter(shared.store, 1_000);
    const first = await counter.consume("k");
    await sleep(first.msBeforeNext + 50);
    await counter.consume("k");
    expect(shared.calls()).toBe(2);
    expect((await shared.store.get("k"))?.consumedPoints).toBe(10); // a fresh lease in the new window
  });
});
