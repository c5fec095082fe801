// Group commit for calls that each need a short transaction: calls for one key (a tenant) that
// arrive while a batch for that key is running wait, and then run together as the next batch, in
// one transaction. With no load a call runs at once and alone (no timer, no added latency); under
// load the transaction's fixed costs (BEGIN, the tenant settings, COMMIT and its WAL flush, one
// round trip per statement) are shared by every call in the batch.

export interface GroupCommit<Item, Result> {
  /** Runs `item` in the next batch for `key`; settles with the item's own result or error. */
  submit(key: string, item: Item): Promise<Result>;
}

/**
 * `run` receives a batch (in arrival order, at most `maxBatch` items, all with the same key) and
 * returns each item's outcome in the same order: one failing item need not fail the others.
 */
export function createGroupCommit<Item, Result>(
  run: (key: string, items: Item[]) => Promise<PromiseSettledResult<Result>[]>,
  { maxBatch = 64 }: { maxBatch?: number } = {},
): GroupCommit<Item, Result> {
  interface Waiting {
    item: Item;
    resolve: (value: Result) => void;
    reject: (reason: unknown) => void;
  }
  const queues = new Map<string, Waiting[]>();
  const running = new Set<string>();

  async function drain(key: string) {
    running.add(key);
    try {
      for (;;) {
        const queue = queues.get(key);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, maxBatch);
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
    } finally {
      queues.delete(key);
      running.delete(key);
    }
  }

  return {
    submit(key, item) {
      return new Promise<Result>((resolve, reject) => {
        const queue = queues.get(key) ?? [];
        queues.set(key, queue);
        queue.push({ item, resolve, reject });
        if (!running.has(key)) void drain(key);
      });
    },
  };
}
