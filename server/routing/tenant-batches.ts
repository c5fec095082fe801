// Task submissions and outcome reports through group commit (server/db/group-commit.ts): a tenant's
// calls that arrive while its batches (at most CONCURRENT at once) are being written run together
// as the next batch, in one transaction. A batch that fails does not take its neighbours down with it: each of its calls
// is then retried alone, in its own transaction, and gets its own result or error.
import type { RootDb } from "@/server/db/client";
import type { SqlDb } from "@/server/db/direct-sql";
import { createGroupCommit, type GroupCommit } from "@/server/db/group-commit";
import { runInDirectTenantScope, type SqlScope } from "@/server/db/tenant-scope";
import { submitTasks, type SubmittedTask, type TaskSubmission } from "./task-service";
import { reportOutcomes, type ReportedOutcome } from "./outcome-service";
import type { OutcomeInput } from "./task-schemas";

const MAX_BATCH = 64;
// Two batches of a tenant may be written at once: while one waits on Postgres the next is prepared
// and sent, so neither the server's core nor Postgres's sits idle. bench:routing at 16 callers:
// 1 -> 200-253 route+assign/s, 2 -> 271, 4 -> 278 (within noise of 2, with more lock waits).
const CONCURRENT = 2;
// ...but a second starts only once more than OVERLAP_ABOVE calls wait: with BEGIN sent along with
// the first statement (runDirectTransaction), two small batches cost more than one larger one.
// bench:routing at 16 callers, alternating, 3 runs each: one batch at a time -> route+assign
// 837-900/s, outcome 1,695-1,804/s; a second above 10 waiting -> 909-1,002/s and 1,830-2,067/s.
const OVERLAP_ABOVE = 10;

// Batches run without Prisma (runInDirectTenantScope): their work is direct SQL only. `own` opens
// another transaction of the tenant, for reads that must not hold up the batch's.
type BatchWork<Item, Result> = (tx: SqlDb, tenantId: string, items: Item[], own: SqlScope) => Promise<Result[]>;

/** One group commit per database client and kind of work. */
function tenantBatches<Item, Result>(work: BatchWork<Item, Result>) {
  const byDb = new WeakMap<RootDb, GroupCommit<Item, Result>>();
  return (db: RootDb): GroupCommit<Item, Result> => {
    let batches = byDb.get(db);
    if (!batches) {
      batches = createGroupCommit<Item, Result>(async (tenantId, items) => {
        const own: SqlScope = (read) => runInDirectTenantScope(db, tenantId, read);
        const alone = (item: Item) => runInDirectTenantScope(db, tenantId, async (tx) => (await work(tx, tenantId, [item], own))[0]!);
        try {
          const results = await runInDirectTenantScope(db, tenantId, (tx) => work(tx, tenantId, items, own));
          return results.map((value) => ({ status: "fulfilled", value }));
        } catch (error) {
          if (items.length === 1) return [{ status: "rejected", reason: error }];
          return Promise.allSettled(items.map(alone));
        }
      }, { maxBatch: MAX_BATCH, maxConcurrent: CONCURRENT, overlapAbove: OVERLAP_ABOVE });
      byDb.set(db, batches);
    }
    return batches;
  };
}

const submissionBatches = tenantBatches<TaskSubmission, SubmittedTask>((tx, tenantId, items, own) => submitTasks(tx, tenantId, items, { poolRefresh: own }));
const outcomeBatches = tenantBatches<OutcomeInput, ReportedOutcome>((tx, tenantId, items) => reportOutcomes(tx, tenantId, items));

/** Submits one task in the tenant's next batch (see submitTasks); settles when that batch commits. */
export function submitInBatch(db: RootDb, tenantId: string, submission: TaskSubmission): Promise<SubmittedTask> {
  return submissionBatches(db).submit(tenantId, submission);
}

/** Reports one outcome in the tenant's next batch of outcomes (see reportOutcomes). */
export function reportOutcomeInBatch(db: RootDb, tenantId: string, outcome: OutcomeInput): Promise<ReportedOutcome> {
  return outcomeBatches(db).submit(tenantId, outcome);
}
