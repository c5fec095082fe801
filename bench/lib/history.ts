// Routed tasks of history, as a running system has them, seeded through the services before a
// benchmark ANALYZEs its database. Without them the planner's statistics describe empty task,
// decision and audit tables, and its plans for them (sequential scans) turn slow as those tables
// grow to thousands of rows during the run.
import type { RootDb } from "@/server/db/client";
import { SYSTEM_ACTOR } from "@/server/audit/service";
import { runInTenantScope } from "@/server/db/tenant-scope";
import { submitTasks } from "@/server/routing/task-service";
import { reportOutcomes } from "@/server/routing/outcome-service";
import { submitTaskSchema } from "@/server/routing/task-schemas";

const BATCH = 50;

/** Submits `count` tasks (the n-th from `input(n)`), in batches, and reports outcomes for half of them. */
export async function seedHistory(db: RootDb, tenantId: string, userId: string, count: number, input: (n: number) => Record<string, unknown>) {
  const caller = { userId, actor: SYSTEM_ACTOR, requestId: null };
  for (let n = 0; n < count; n += BATCH) {
    const submissions = Array.from({ length: Math.min(BATCH, count - n) }, (_, i) => ({ caller, input: submitTaskSchema.parse(input(n + i)) }));
    const submitted = await runInTenantScope(db, tenantId, (tx) => submitTasks(tx, tenantId, submissions));
    const outcomes = submitted
      .filter((t, i) => i % 2 === 0 && t.routing.result === "assigned")
      .map((t, i) => ({ taskId: t.taskId, success: i % 4 !== 0, quality: 0.7, latencyMs: 200 + i }));
    await runInTenantScope(db, tenantId, (tx) => reportOutcomes(tx, tenantId, outcomes));
  }
}
