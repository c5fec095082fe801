// Task submissions through group commit: a tenant's submissions that arrive while one of its
// batches is being written are submitted together as the next batch, in one transaction (one
// evaluation read, one insert, one assignment statement for all). A batch that fails is not
// allowed to take its neighbours down with it: each of its submissions is then retried alone, in
// its own transaction, and gets its own result or error.
import type { RootDb } from "@/server/db/client";
import { createGroupCommit, type GroupCommit } from "@/server/db/group-commit";
import { runInTenantScope } from "@/server/db/tenant-scope";
import { submitTask, submitTasks, type SubmittedTask, type TaskSubmission } from "./task-service";

const MAX_BATCH = 64;

const batchers = new WeakMap<RootDb, GroupCommit<TaskSubmission, SubmittedTask>>();

function batcherFor(db: RootDb) {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = createGroupCommit<TaskSubmission, SubmittedTask>(async (tenantId, submissions) => {
      try {
        const results = await runInTenantScope(db, tenantId, (tx) => submitTasks(tx, tenantId, submissions));
        return results.map((value) => ({ status: "fulfilled", value }));
      } catch (error) {
        if (submissions.length === 1) return [{ status: "rejected", reason: error }];
        return Promise.allSettled(submissions.map((s) => runInTenantScope(db, tenantId, (tx) => submitTask(tx, s.caller, tenantId, s.input))));
      }
    }, { maxBatch: MAX_BATCH });
    batchers.set(db, batcher);
  }
  return batcher;
}

/** Submits one task in the tenant's next batch (see submitTasks); settles when that batch commits. */
export function submitInBatch(db: RootDb, tenantId: string, submission: TaskSubmission): Promise<SubmittedTask> {
  return batcherFor(db).submit(tenantId, submission);
}
