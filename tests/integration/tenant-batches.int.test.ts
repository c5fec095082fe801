// Group commit of task submissions and outcomes (server/routing/tenant-batches.ts) against real Postgres.
import { describe, expect, it } from "vitest";
import { agentInput, callerFor, makeTenant, testDb } from "../helpers";
import { SYSTEM_ACTOR, verifyAuditChain } from "@/server/audit/service";
import { runInTenantScope } from "@/server/db/tenant-scope";
import { submitInBatch } from "@/server/routing/tenant-batches";
import { submitTasks, type TaskSubmission } from "@/server/routing/task-service";
import { submitTaskSchema } from "@/server/routing/task-schemas";

async function setup() {
  const t = await makeTenant();
  const api = await callerFor({ userId: t.owner.id });
  return { ...t, api };
}

const submission = (input: Record<string, unknown>): TaskSubmission => ({
  caller: { userId: null, actor: SYSTEM_ACTOR, requestId: null },
  input: submitTaskSchema.parse(input),
});

describe("submission batches", () => {
  it("writes simultaneous submissions in shared transactions, each task with its own decision, assignment and audit entry", async () => {
    const { api, tenant } = await setup();
    for (const name of ["a", "b", "c", "d"]) await api.agents.register(agentInput({ name, maxConcurrentTasks: 50 }));
    const results = await Promise.all(Array.from({ length: 40 }, (_, n) => api.tasks.submit({ taskType: "code-review", payload: { n } })));

    expect(results.every((r) => r.constitution.verdict === "allow" && r.routing.result === "assigned")).toBe(true);
    const ids = results.map((r) => r.taskId);
    // Rows written by one transaction share its id (xmin): 40 tasks in far fewer transactions.
    const [{ transactions }] = (await testDb().$queryRaw<{ transactions: bigint }[]>`SELECT count(DISTINCT xmin::text) AS transactions FROM tasks WHERE id = ANY(${ids}::text[])`) as [{ transactions: bigint }];
    expect(Number(transactions)).toBeLessThanOrEqual(5);
    const tasks = await testDb().task.findMany({ where: { id: { in: ids } } });
    expect(new Set(tasks.map((t) => t.constitutionalDecisionId)).size).toBe(40);
    expect(tasks.map((t) => (t.payload as { n: number }).n).sort((x, y) => x - y)).toEqual([...Array(40).keys()]);
    const decisions = await testDb().routingDecision.findMany({ where: { taskId: { in: ids } } });
    expect(decisions.map((d) => d.id).sort()).toEqual(results.map((r) => r.routing.decisionId).sort());
    const agents = await testDb().agent.findMany({ where: { tenantId: tenant.id } });
    expect(agents.reduce((sum, a) => sum + a.activeTasks, 0)).toBe(40);
    const arms = await testDb().banditArm.findMany({ where: { tenantId: tenant.id } });
    expect(arms.reduce((sum, a) => sum + a.pending, 0)).toBe(40);
    const stats = await testDb().routingStatsHourly.findMany({ where: { tenantId: tenant.id } });
    expect(stats.reduce((sum, s) => sum + s.assigned, 0)).toBe(40);
    expect(stats.reduce((sum, s) => sum + s.latencyBuckets.reduce((a, b) => a + b, 0), 0)).toBe(40);
    const audited = await testDb().auditEvent.count({ where: { chainId: tenant.id, action: "constitution.decided", targetId: { in: ids } } });
    expect(audited).toBe(40);
    expect((await verifyAuditChain(testDb(), tenant.id)).ok).toBe(true);
  });

  it("gives an agent only the tasks it has room for when another router filled it meanwhile; the others wait", async () => {
    const { api, tenant } = await setup();
    const agent = await api.agents.register(agentInput({ name: "solo", maxConcurrentTasks: 4 }));
    await api.tasks.submit({ taskType: "code-review" }); // this process now holds the pool, 1 of 4 taken
    // Another instance takes two more slots; this process's view still shows three free.
    await testDb().agent.update({ where: { id: agent.id }, data: { activeTasks: 3 } });
    const results = await runInTenantScope(testDb(), tenant.id, (tx) =>
      submitTasks(tx, tenant.id, [1, 2, 3].map((n) => submission({ taskType: "code-review", payload: { n } }))),
    );

    expect(results.map((r) => r.routing.result).sort()).toEqual(["assigned", "waiting", "waiting"]);
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).activeTasks).toBe(4);
    for (const r of results.filter((x) => x.routing.result === "waiting")) {
      const decision = await api.routing.decision({ decisionId: r.routing.decisionId! });
      expect(decision).toMatchObject({ result: "waiting", reason: "all capable agents are at capacity" });
    }
  });

  it("does not let one failing submission fail the others in its batch", async () => {
    const { api, tenant } = await setup();
    await api.agents.register(agentInput({ name: "a", maxConcurrentTasks: 10 }));
    // Postgres refuses a NUL character in jsonb: the third submission fails in the database.
    const inputs = [{ n: 1 }, { n: 2 }, { n: 3, text: "bad\u0000" }, { n: 4 }];
    const settled = await Promise.allSettled(inputs.map((payload) => submitInBatch(testDb(), tenant.id, submission({ taskType: "code-review", payload }))));

    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const tasks = await testDb().task.findMany({ where: { tenantId: tenant.id } });
    expect(tasks.map((t) => (t.payload as { n: number }).n).sort()).toEqual([1, 2, 4]);
    expect(tasks.every((t) => t.status === "assigned")).toBe(true);
    expect(await testDb().auditEvent.count({ where: { chainId: tenant.id, action: "constitution.decided" } })).toBe(3);
    expect((await verifyAuditChain(testDb(), tenant.id)).ok).toBe(true);
  });

  it("counts tasks allowed earlier in a batch against the tenant's daily task budget", async () => {
    const { api, tenant } = await setup();
    await api.agents.register(agentInput({ name: "a", maxConcurrentTasks: 10 }));
    await api.budgets.set({ taskType: "*", tasksPerDay: 2, costUnitsPerMonth: null });
    const results = await runInTenantScope(testDb(), tenant.id, (tx) =>
      submitTasks(tx, tenant.id, [1, 2, 3].map((n) => submission({ taskType: "code-review", payload: { n } }))),
    );
    expect(results.map((r) => r.constitution.verdict).slice(0, 2)).toEqual(["allow", "allow"]);
    expect(results[2]!.constitution.verdict).not.toBe("allow");
    expect(results[2]!.constitution.failed.map((f) => f.rule)).toContain("tenant_budget.tasks_per_day");
    expect(results.map((r) => r.routing.result).slice(0, 2)).toEqual(["assigned", "assigned"]);
    // The two tasks were inserted already assigned: their usage is counted all the same, so the
    // next submission, in a transaction of its own, finds the day's budget spent.
    const usage = await testDb().$queryRaw<{ tasks: number }[]>`SELECT tasks FROM budget_usage WHERE "tenantId" = ${tenant.id} AND "taskType" = '*'`;
    expect(usage.map((u) => u.tasks)).toEqual([2]);
    const next = await api.tasks.submit({ taskType: "code-review" });
    expect(next.constitution.verdict).not.toBe("allow");
    expect(next.constitution.failed.map((f) => f.rule)).toContain("tenant_budget.tasks_per_day");
  });

  it("applies simultaneous outcomes in shared transactions; one refused outcome gets its own error and the others land", async () => {
    const { api, tenant } = await setup();
    for (const name of ["a", "b"]) await api.agents.register(agentInput({ name, maxConcurrentTasks: 30 }));
    const submitted = await Promise.all(Array.from({ length: 30 }, () => api.tasks.submit({ taskType: "code-review" })));
    const ids = submitted.map((s) => s.taskId);
    await api.tasks.reportOutcome({ taskId: ids[0]!, success: true, latencyMs: 5 }); // already done below: refused
    const settled = await Promise.allSettled(ids.map((taskId, n) => api.tasks.reportOutcome({ taskId, success: n % 3 !== 0, quality: 0.5, latencyMs: 10 + n })));

    expect(settled[0]).toMatchObject({ status: "rejected", reason: expect.objectContaining({ code: "CONFLICT" }) });
    expect(settled.slice(1).every((s) => s.status === "fulfilled")).toBe(true);
    const [{ transactions }] = (await testDb().$queryRaw`SELECT count(DISTINCT xmin::text) AS transactions FROM tasks WHERE id = ANY(${ids.slice(1)}::text[])`) as [{ transactions: bigint }];
    expect(Number(transactions)).toBeLessThanOrEqual(5);
    const agents = await testDb().agent.findMany({ where: { tenantId: tenant.id } });
    expect(agents.map((a) => a.activeTasks)).toEqual([0, 0]);
    const arms = await testDb().banditArm.findMany({ where: { tenantId: tenant.id } });
    expect(arms.reduce((sum, a) => sum + a.pulls, 0)).toBeCloseTo(30, 6);
    expect(arms.reduce((sum, a) => sum + a.pending, 0)).toBe(0);
    const performance = await testDb().agentPerformance.findMany({ where: { tenantId: tenant.id } });
    expect(performance.reduce((sum, p) => sum + p.tasks, 0)).toBe(30);
    expect(performance.reduce((sum, p) => sum + p.latencyBuckets.reduce((a, b) => a + b, 0), 0)).toBe(30);
  });
});
