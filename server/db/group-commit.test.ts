import { describe, expect, it } from "vitest";
import { createGroupCommit } from "./group-commit";

/** A batch runner whose batches finish only when the test says so. */
function controlledRunner() {
  const batches: { key: string; items: number[]; finish: () => void }[] = [];
  const run = (key: string, items: number[]) =>
    new Promise<PromiseSettledResult<number>[]>((resolve) => {
      batches.push({
        key,
        items,
        finish: () => resolve(items.map((n) => (n < 0 ? { status: "rejected", reason: new Error(`bad ${n}`) } : { status: "fulfilled", value: n * 10 }))),
      });
    });
  return { batches, run };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("group commit", () => {
  it("runs a call at once when its key is idle, and calls arriving meanwhile together as the next batch", async () => {
    const { batches, run } = controlledRunner();
    const group = createGroupCommit(run);
    const first = group.submit("t1", 1);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => group.submit("t1", n));
    await tick();
    expect(batches).toHaveLength(1); // they wait for the running batch
    batches[0]!.finish();
    expect(await first).toBe(10);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.finish();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it("settles each call with its own result or error", async () => {
    const { batches, run } = controlledRunner();
    const group = createGroupCommit(run);
    const calls = [5, -1, 6].map((n) => group.submit("t1", n).then((v) => ({ ok: v }), (e: Error) => ({ error: e.message })));
    await tick();
    batches[0]!.finish();
    await tick();
    batches[1]!.finish();
    expect(await Promise.all(calls)).toEqual([{ ok: 50 }, { error: "bad -1" }, { ok: 60 }]);
  });

  it("keeps keys apart, caps the batch size, and rejects a whole batch whose runner throws", async () => {
    const { batches, run } = controlledRunner();
    const group = createGroupCommit(run, { maxBatch: 2 });
    const a = group.submit("a", 1);
    const b = group.submit("b", 2);
    await tick();
    expect(batches.map((x) => [x.key, x.items])).toEqual([["a", [1]], ["b", [2]]]);
    const queued = [3, 4, 5].map((n) => group.submit("a", n));
    batches[0]!.finish();
    batches[1]!.finish();
    await Promise.all([a, b]);
    await tick();
    expect(batches.slice(2).map((x) => x.items)).toEqual([[3, 4]]);
    batches[2]!.finish();
    await tick();
    expect(batches.slice(3).map((x) => x.items)).toEqual([[5]]);
    batches[3]!.finish();
    expect(await Promise.all(queued)).toEqual([30, 40, 50]);

    const failing = createGroupCommit<number, number>(() => Promise.reject(new Error("connection lost")));
    await expect(failing.submit("a", 1)).rejects.toThrow("connection lost");
  });

  it("runs up to maxConcurrent batches of one key at once", async () => {
    const { batches, run } = controlledRunner();
    const group = createGroupCommit(run, { maxConcurrent: 2 });
    const calls = [1, 2, 3, 4].map((n) => group.submit("t1", n));
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]); // two alone at once; the rest wait
    batches[1]!.finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4]]);
    batches[0]!.finish();
    batches[2]!.finish();
    expect(await Promise.all(calls)).toEqual([10, 20, 30, 40]);
  });

  it("starts a batch beside a running one only once more than overlapAbove calls wait", async () => {
    const { batches, run } = controlledRunner();
    const group = createGroupCommit(run, { maxConcurrent: 2, overlapAbove: 2 });
    const first = group.submit("t1", 1);
    const waiting = [2, 3].map((n) => group.submit("t1", n));
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1]]); // two waiting: not enough for a second batch
    const more = group.submit("t1", 4);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]); // three: the second starts
    const next = group.submit("t1", 5);
    batches[0]!.finish();
    await tick();
    expect(batches).toHaveLength(2); // one still runs, and one call waiting is not enough
    batches[1]!.finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4], [5]]); // none running: it goes at once
    batches[2]!.finish();
    expect(await Promise.all([first, ...waiting, more, next])).toEqual([10, 20, 30, 40, 50]);
  });
});
