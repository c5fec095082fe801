// Group commit for calls that each need a short transaction: calls for one key (a tenant) that
// arrive while `maxConcurrent` batches for that key are running wait, and then run together as the
// next batch, in one transaction. With no load a call runs at once and alone (no timer, no added
// latency); under load the transaction's fixed costs (BEGIN, the tenant settings, COMMIT and its
// WAL flush, one round trip per statement) are shared by every call in the batch.

export interface GroupCommit<Item, Result> {
  /** Runs `item` in the next batch for `key`; settles with the item's own result or error. */
  submit(key: string, item: Item): Promise<Result>;
}

export interface GroupCommitOptions {
  /** The most items in one batch. */
  maxBatch?: number;
  /** How many batches of one key may run at the same time. */
  maxConcurrent?: number;
  /** While a batch of the key runs, another starts only once more than this many items wait: a
   *  batch of a few pays the fixed costs again, where waiting lets them share one. */
  overlapAbove?: number;
}

/**
 * `run` receives a batch (in arrival order, at most `maxBatch` items, all with the same key) and
 * returns each item's outcome in the same order: one failing item need not fail the others.
 */
export function createGroupCommit<Item, Result>(
  run: (key: string, items: Item[]) => Promise<PromiseSettledResult<Result>[]>,
  { maxBatch = 64, maxConcurrent = 1, overlapAbove = 0 }: GroupCommitOptions = {},
): GroupCommit<Item, Result> {
  interface Waiting {
    item: Item;
    resolve: (value: Result) => void;
    reject: (reason: unknown) => void;
  }
  const keys = new Map<string, { queue: Waiting[]; running: number }>();

  async function runBatch(key: string, batch: Waiting[]) {
    let outcomes: PromiseSettledResult<Result>[];
    try {
      outcomes = await run(key, batch.map((w) => w.item));
    } catch (error) {
      outcomes = batch.map(() => ({ status: "rejected", reason: error }));
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome?.status === "fulfilled") w.resolve(outcome.value);
      else w.reject(outcome ? outcome.reason : new Error("batch returned no outcome for this item"));
    });
  }

  function pump(key: string) {
    const state = keys.get(key);
    if (!state) return;
    while (state.running < maxConcurrent && state.queue.length > (state.running === 0 ? 0 : overlapAbove)) {
      const batch = state.queue.splice(0, maxBatch);
      state.running += 1;
      void runBatch(key, batch).finally(() => {
        state.running -= 1;
        if (state.queue.length > 0) pump(key);
        else if (state.running === 0) keys.delete(key);
      });
    }
  }

  return {
    submit(key, item) {
      return new Promise<Result>((resolve, reject) => {
        let state = keys.get(key);
        if (!state) keys.set(key, (state = { queue: [], running: 0 }));
        state.queue.push({ item, resolve, reject });
        pump(key);
      });
    },
  };
}
