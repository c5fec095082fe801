import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { agentInput, callerFor, makeTenant, testDb } from "../helpers";
import { verifyAuditChain } from "@/server/audit/service";
import { applyOutcome, rewardOf, type ArmEvidence } from "@/server/routing/bandit";
import { reportOutcomes } from "@/server/routing/outcome-service";
import { runInDirectTenantScope } from "@/server/db/tenant-scope";
import { bucketIndex } from "@/server/routing/latency-histogram";

const errorOf = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as TRPCError);

async function setup(policy: Record<string, unknown> = {}) {
  const t = await makeTenant();
  const api = await callerFor({ userId: t.owner.id });
  if (Object.keys(policy).length) await api.routing.setPolicy({ taskType: "*", ...policy });
  return { ...t, api };
}

describe("routing", () => {
  it("assigns a task to a capable agent and records the full decision", async () => {
    const { api } = await setup({ strategy: "ucb1" });
    const a = await api.agents.register(agentInput({ name: "a", maxConcurrentTasks: 2 }));
    const b = await api.agents.register(agentInput({ name: "b", maxConcurrentTasks: 2 }));
    const busy = await api.agents.register(agentInput({ name: "draining" }));
    await api.agents.setStatus({ agentId: busy.id, status: "draining" });
    await api.agents.register(agentInput({ name: "researcher", taskTypes: [{ name: "research" }] }));

    const { taskId, routing } = await api.tasks.submit({ taskType: "code-review", payload: { pr: 42 } });
    expect(routing.result).toBe("assigned");
    expect([a.id, b.id]).toContain(routing.agentId);
    const task = await api.tasks.get({ taskId });
    expect(task).toMatchObject({ status: "assigned", agentId: routing.agentId, decisionId: routing.decisionId });
    expect(task.routedAt).not.toBeNull();
    expect(task.assignedAt).not.toBeNull();

    const decision = await api.routing.decision({ decisionId: routing.decisionId! });
    expect(decision).toMatchObject({ strategy: "ucb1", result: "assigned", chosenAgentId: routing.agentId, notCapableCount: 1 });
    const candidates = decision.candidates as { name: string; score: number; mean: number; bonus: number; loadPenalty: number; match: number }[];
    expect(candidates.map((c) => c.name).sort()).toEqual(["a", "b"]);
    for (const c of candidates) expect(c.score).toBeCloseTo(c.mean + c.bonus - c.loadPenalty, 5);
    expect(decision.excluded).toEqual([expect.objectContaining({ name: "draining", kind: "status" })]);
    expect(decision.selectionProbability).toBeGreaterThan(0);
    expect(decision.decisionMs).toBeGreaterThan(0);
    expect((decision.policy as { strategy: string }).strategy).toBe("ucb1");
  });

  it("feeds outcomes back: task, agent load, bandit arm and performance record in one step", async () => {
    const { api, tenant } = await setup({ strategy: "thompson", decayHalfLifeHours: 0 });
    const agent = await api.agents.register(agentInput({ name: "solo", maxConcurrentTasks: 3 }));
    const { taskId } = await api.tasks.submit({ taskType: "code-review" });
    await api.tasks.reportProgress({ taskId, progress: 0.5, message: "halfway" });
    expect((await api.tasks.get({ taskId })).status).toBe("running");
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).activeTasks).toBe(1);

    // A token count the column cannot hold is bad input, not a server error.
    const tooMany = await errorOf(api.tasks.reportOutcome({ taskId, success: true, latencyMs: 1, tokens: 3_000_000_000 }));
    expect(tooMany).toMatchObject({ code: "BAD_REQUEST" });
    const outcome = await api.tasks.reportOutcome({ taskId, success: true, quality: 0.8, latencyMs: 1200, cost: 0.5, tokens: 900 });
    expect(outcome).toMatchObject({ status: "succeeded", reward: 0.8 });
    const task = await api.tasks.get({ taskId });
    expect(task).toMatchObject({ status: "succeeded", success: true, quality: 0.8, latencyMs: 1200, progress: 1 });
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).activeTasks).toBe(0);
    const arm = await testDb().banditArm.findUniqueOrThrow({ where: { agentId_taskType: { agentId: agent.id, taskType: "code-review" } } });
    expect(arm).toMatchObject({ pulls: 1, rewardSum: 0.8, pending: 0 });
    const detail = await api.agents.get({ agentId: agent.id });
    expect(detail.performance).toEqual([expect.objectContaining({ taskType: "code-review", tasks: 1, successRate: 1, avgQuality: 0.8 })]);
    expect(detail.performance[0]!.latencyP50Ms).toBeGreaterThan(1000);
    expect(detail.performance[0]!.latencyP50Ms).toBeLessThanOrEqual(1500);

    // A second outcome for the same task is refused and changes nothing.
    expect(await errorOf(api.tasks.reportOutcome({ taskId, success: false, latencyMs: 1 }))).toMatchObject({ code: "CONFLICT" });
    expect((await testDb().agentPerformance.findFirstOrThrow({ where: { agentId: agent.id } })).tasks).toBe(1);
    expect(tenant.id).toBeTruthy();
  });

  it("decays arm evidence in SQL exactly as the pure bandit does", async () => {
    const { api } = await setup({ decayHalfLifeHours: 1 });
    const agent = await api.agents.register(agentInput({ maxConcurrentTasks: 5 }));
    const db = testDb();
    const { taskId: t1 } = await api.tasks.submit({ taskType: "code-review" });
    await api.tasks.reportOutcome({ taskId: t1, success: true, quality: 1, latencyMs: 10 });
    const before = await db.banditArm.findUniqueOrThrow({ where: { agentId_taskType: { agentId: agent.id, taskType: "code-review" } } });
    // Age the arm by two half-lives, then report a failure.
    const aged = new Date(before.updatedAt.getTime() - 2 * 3_600_000);
    await db.banditArm.update({ where: { agentId_taskType: { agentId: agent.id, taskType: "code-review" } }, data: { updatedAt: aged } });
    const { taskId: t2 } = await api.tasks.submit({ taskType: "code-review" });
    const reportedAt = Date.now();
    await api.tasks.reportOutcome({ taskId: t2, success: false, latencyMs: 10 });
    const after = await db.banditArm.findUniqueOrThrow({ where: { agentId_taskType: { agentId: agent.id, taskType: "code-review" } } });
    const expected = applyOutcome({ ...before, pending: 1, updatedAt: aged }, rewardOf({ success: false, quality: null }, true), new Date(reportedAt), 1);
    expect(after.pulls).toBeCloseTo(expected.pulls, 2);
    expect(after.rewardSum).toBeCloseTo(expected.rewardSum, 2);
    expect(after.pending).toBe(0);
  });

  it("applies a batch of outcomes for one agent as the same outcomes one after another would, and offers each freed slot to a waiting task", async () => {
    const { api, tenant } = await setup({ decayHalfLifeHours: 1 });
    const agent = await api.agents.register(agentInput({ name: "solo", maxConcurrentTasks: 3 }));
    const db = testDb();
    const key = { agentId_taskType: { agentId: agent.id, taskType: "code-review" } };
    const done = await api.tasks.submit({ taskType: "code-review" });
    await api.tasks.reportOutcome({ taskId: done.taskId, success: true, quality: 1, latencyMs: 10 });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await api.tasks.submit({ taskType: "code-review" })).taskId);
    const waiting = [];
    for (let i = 0; i < 3; i++) waiting.push((await api.tasks.submit({ taskType: "code-review" })).taskId);
    expect((await db.task.findMany({ where: { id: { in: waiting } } })).map((t) => t.status)).toEqual(["submitted", "submitted", "submitted"]);
    // Age the arm by two half-lives: the batch decays it once, as the first of the sequence would.
    const before = await db.banditArm.findUniqueOrThrow({ where: key });
    const aged = new Date(before.updatedAt.getTime() - 2 * 3_600_000);
    await db.banditArm.update({ where: key, data: { updatedAt: aged } });
    const statsBefore = await db.routingStatsHourly.aggregate({ where: { tenantId: tenant.id, agentId: agent.id }, _sum: { outcomes: true, successes: true, rewardSum: true } });

    const now = new Date();
    const outcomes = [
      { taskId: ids[0]!, success: true, quality: 0.5, latencyMs: 40 },
      { taskId: ids[1]!, success: false, latencyMs: 900, error: "timed out" },
      { taskId: ids[2]!, success: true, quality: 0.9, latencyMs: 40, tokens: 12 },
    ];
    const reported = await runInDirectTenantScope(db, tenant.id, (tx) => reportOutcomes(tx, tenant.id, outcomes, { now }));
    expect(reported.map((r) => [r.status, r.reward])).toEqual([["succeeded", 0.5], ["failed", 0], ["succeeded", 0.9]]);

    let expected: ArmEvidence = { pulls: before.pulls, rewardSum: before.rewardSum, pending: 3, updatedAt: aged };
    for (const o of outcomes) expected = applyOutcome(expected, rewardOf({ success: o.success, quality: o.quality ?? null }, true), now, 1);
    const arm = await db.banditArm.findUniqueOrThrow({ where: key });
    expect(arm.pulls).toBeCloseTo(expected.pulls, 9);
    expect(arm.rewardSum).toBeCloseTo(expected.rewardSum, 9);
    // The three waiting tasks took the three freed slots, in the same transaction.
    expect(arm.pending).toBe(3);
    expect((await db.task.findMany({ where: { id: { in: waiting } } })).map((t) => t.status)).toEqual(["assigned", "assigned", "assigned"]);
    expect((await db.agent.findUniqueOrThrow({ where: { id: agent.id } })).activeTasks).toBe(3);

    const perf = await db.agentPerformance.findUniqueOrThrow({ where: key });
    expect(perf).toMatchObject({ tasks: 4, successes: 3, qualityCount: 3 });
    expect(perf.qualitySum).toBeCloseTo(2.4, 9);
    expect(perf.latencyBuckets[bucketIndex(40)]).toBe(2);
    expect(perf.latencyBuckets[bucketIndex(900)]).toBe(1);
    expect(perf.latencyBuckets.reduce((a, b) => a + b, 0)).toBe(4);
    const statsAfter = await db.routingStatsHourly.aggregate({ where: { tenantId: tenant.id, agentId: agent.id }, _sum: { outcomes: true, successes: true, rewardSum: true } });
    expect(statsAfter._sum.outcomes! - statsBefore._sum.outcomes!).toBe(3);
    expect(statsAfter._sum.successes! - statsBefore._sum.successes!).toBe(2);
    expect(statsAfter._sum.rewardSum! - statsBefore._sum.rewardSum!).toBeCloseTo(1.4, 9);
    expect(await db.task.findUniqueOrThrow({ where: { id: ids[1]! } })).toMatchObject({ status: "failed", error: "timed out", latencyMs: 900 });
    expect(await db.task.findUniqueOrThrow({ where: { id: ids[2]! } })).toMatchObject({ status: "succeeded", tokens: 12, progress: 1 });
  });

  it("fails a whole batch of outcomes, changing nothing, when one of them cannot apply (named twice, or its task not assigned)", async () => {
    const { api, tenant } = await setup();
    const agent = await api.agents.register(agentInput({ maxConcurrentTasks: 5 }));
    const db = testDb();
    const a = (await api.tasks.submit({ taskType: "code-review" })).taskId;
    const b = (await api.tasks.submit({ taskType: "code-review" })).taskId;
    const report = (outcomes: { taskId: string; success: boolean; latencyMs: number }[]) =>
      errorOf(runInDirectTenantScope(db, tenant.id, (tx) => reportOutcomes(tx, tenant.id, outcomes)));
    expect(await report([{ taskId: a, success: true, latencyMs: 5 }, { taskId: b, success: true, latencyMs: 5 }, { taskId: a, success: false, latencyMs: 5 }])).toMatchObject({
      message: "Cannot report an outcome for a task that is succeeded",
    });
    expect(await report([{ taskId: a, success: true, latencyMs: 5 }, { taskId: "no-such-task", success: true, latencyMs: 5 }])).toMatchObject({ message: "Task not found" });
    expect((await db.task.findMany({ where: { id: { in: [a, b] } } })).map((t) => t.status)).toEqual(["assigned", "assigned"]);
    expect((await db.agent.findUniqueOrThrow({ where: { id: agent.id } })).activeTasks).toBe(2);
    expect(await db.agentPerformance.count({ where: { agentId: agent.id } })).toBe(0);
  });

  it("keeps a task waiting when every capable agent is full, and places it when capacity frees up", async () => {
    const { api } = await setup();
    await api.agents.register(agentInput({ name: "only", maxConcurrentTasks: 1 }));
    const first = await api.tasks.submit({ taskType: "code-review" });
    const second = await api.tasks.submit({ taskType: "code-review" });
    expect(second.routing).toMatchObject({ result: "waiting", reason: "all capable agents are at capacity" });
    expect(await api.tasks.get({ taskId: second.taskId })).toMatchObject({ status: "submitted", statusReason: "all capable agents are at capacity" });
    const waitingDecision = await api.routing.decision({ decisionId: second.routing.decisionId! });
    expect(waitingDecision.excluded).toEqual([expect.objectContaining({ name: "only", kind: "capacity" })]);

    await api.tasks.reportOutcome({ taskId: first.taskId, success: true, latencyMs: 5 });
    const placed = await api.tasks.get({ taskId: second.taskId });
    expect(placed.status).toBe("assigned");
    expect(placed.decisions.map((d) => d.result)).toEqual(["waiting", "assigned"]);
  });

  it("gives a freed slot to the waiting task of that type with the highest priority, then the oldest", async () => {
    const { api } = await setup();
    await api.agents.register(agentInput({ name: "only", maxConcurrentTasks: 1, taskTypes: [{ name: "code-review" }, { name: "testing" }] }));
    const running = await api.tasks.submit({ taskType: "code-review" });
    const older = await api.tasks.submit({ taskType: "code-review", priority: 1 });
    const urgent = await api.tasks.submit({ taskType: "code-review", priority: 5 });
    const otherType = await api.tasks.submit({ taskType: "testing", priority: 9 });
    expect([older, urgent, otherType].map((t) => t.routing.result)).toEqual(["waiting", "waiting", "waiting"]);
    await api.tasks.reportOutcome({ taskId: running.taskId, success: true, latencyMs: 5 });
    const status = async (t: { taskId: string }) => (await api.tasks.get({ taskId: t.taskId })).status;
    expect([await status(older), await status(urgent), await status(otherType)]).toEqual(["submitted", "assigned", "submitted"]);
    await api.tasks.reportOutcome({ taskId: urgent.taskId, success: true, latencyMs: 5 });
    expect([await status(older), await status(otherType)]).toEqual(["assigned", "submitted"]);
  });

  it("rejects with the reason when the policy says so, or when no agent is capable", async () => {
    const { api } = await setup({ noCandidateAction: "reject" });
    const none = await api.tasks.submit({ taskType: "translation" });
    expect(none.routing).toMatchObject({ result: "rejected", reason: "no registered agent takes translation tasks" });
    expect((await api.tasks.get({ taskId: none.taskId })).status).toBe("rejected");
    await api.agents.register(agentInput({ languages: [{ name: "go" }] }));
    const lacking = await api.tasks.submit({ taskType: "code-review", languages: ["rust"] });
    expect(lacking.routing).toMatchObject({ result: "rejected", reason: "no capable agent is available" });
  });

  it("keeps learning per task type: outcomes for one type do not move another type's arm", async () => {
    const { api } = await setup();
    const agent = await api.agents.register(agentInput({ taskTypes: [{ name: "code-review" }, { name: "testing" }] }));
    const { taskId } = await api.tasks.submit({ taskType: "code-review" });
    await api.tasks.reportOutcome({ taskId, success: true, latencyMs: 3 });
    const arms = await testDb().banditArm.findMany({ where: { agentId: agent.id } });
    expect(arms.map((a) => [a.taskType, a.pulls])).toEqual([["code-review", 1]]);
  });

  it("cancels an assigned task and frees the agent", async () => {
    const { api } = await setup();
    const agent = await api.agents.register(agentInput({ maxConcurrentTasks: 1 }));
    const { taskId } = await api.tasks.submit({ taskType: "code-review" });
    await api.tasks.cancel({ taskId });
    expect((await api.tasks.get({ taskId })).status).toBe("cancelled");
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).activeTasks).toBe(0);
    expect(await errorOf(api.tasks.cancel({ taskId }))).toMatchObject({ code: "CONFLICT" });
  });

  it("refuses to change or delete a decision record", async () => {
    const { api } = await setup();
    await api.agents.register(agentInput());
    const { routing } = await api.tasks.submit({ taskType: "code-review" });
    await expect(testDb().$executeRaw`UPDATE routing_decisions SET reason = 'x' WHERE id = ${routing.decisionId}`).rejects.toThrow(/append-only/);
    await expect(testDb().$executeRaw`DELETE FROM routing_decisions WHERE id = ${routing.decisionId}`).rejects.toThrow(/append-only/);
  });

  it("reports metrics from the roll-up: shares, success, exploration, latency and regret", async () => {
    const { api } = await setup({ strategy: "epsilon_greedy", epsilon: 0.5, epsilonDecay: 0 });
    const good = await api.agents.register(agentInput({ name: "good", maxConcurrentTasks: 100 }));
    await api.agents.register(agentInput({ name: "bad", maxConcurrentTasks: 100 }));
    for (let i = 0; i < 40; i++) {
      const { taskId, routing } = await api.tasks.submit({ taskType: "code-review" });
      await api.tasks.reportOutcome({ taskId, success: routing.agentId === good.id, quality: routing.agentId === good.id ? 0.9 : undefined, latencyMs: 100 });
    }
    const m = await api.routing.metrics({ range: "24h" });
    expect(m.totals).toMatchObject({ decisions: 40, assigned: 40 });
    expect(m.totals.routingP50Ms).not.toBeNull();
    expect(m.totals.explorationRate).toBeGreaterThan(0);
    expect(m.perAgent.reduce((s, a) => s + a.share, 0)).toBeCloseTo(1);
    const byName = Object.fromEntries(m.perAgent.map((a) => [a.name, a]));
    expect(byName.good!.successRate).toBe(1);
    expect(byName.good!.avgQuality).toBeCloseTo(0.9);
    expect(byName.bad!.successRate).toBe(0);
    // Regret against the best agent in hindsight (mean reward 0.9): every pull of "bad" costs 0.9.
    const last = m.regret[m.regret.length - 1]!;
    expect(last.cumulativeRegret).toBeCloseTo(0.9 * byName.bad!.outcomes, 5);
    const page = await api.routing.decisions({ range: "24h", limit: 25 });
    expect(page.items).toHaveLength(25);
    const next = await api.routing.decisions({ range: "24h", limit: 25, cursor: page.nextCursor! });
    expect(next.items).toHaveLength(15);
    expect(new Set([...page.items, ...next.items].map((d) => d.id)).size).toBe(40);
  });
});

describe("routing under concurrency", () => {
  it("never exceeds any agent's capacity and never assigns a task twice, with 300 simultaneous submissions", async () => {
    const { api, tenant } = await setup({ strategy: "thompson" });
    const capacities = [3, 5, 7, 10];
    for (const [i, cap] of capacities.entries()) await api.agents.register(agentInput({ name: `c${i}`, maxConcurrentTasks: cap }));
    const results = await Promise.all(Array.from({ length: 300 }, () => api.tasks.submit({ taskType: "code-review" })));
    const assigned = results.filter((r) => r.routing.result === "assigned");
    expect(assigned).toHaveLength(capacities.reduce((a, b) => a + b, 0));
    const agents = await testDb().agent.findMany({ where: { tenantId: tenant.id } });
    for (const a of agents) expect(a.activeTasks).toBeLessThanOrEqual(a.maxConcurrentTasks);
    for (const a of agents) expect(a.activeTasks).toBe(a.maxConcurrentTasks);
    const perAgent = await testDb().task.groupBy({ by: ["agentId"], where: { tenantId: tenant.id, status: "assigned" }, _count: true });
    for (const row of perAgent) {
      const agent = agents.find((a) => a.id === row.agentId)!;
      expect(row._count).toBe(agent.maxConcurrentTasks);
    }
    const decisionsAssigned = await testDb().routingDecision.count({ where: { tenantId: tenant.id, result: "assigned" } });
    expect(decisionsAssigned).toBe(assigned.length);
  });

  it("counts budget usage and audit entries exactly, at commit, for 200 simultaneous submissions with costs", async () => {
    const { api, tenant } = await setup();
    await api.agents.register(agentInput({ name: "wide", maxConcurrentTasks: 500 }));
    const tasks = await Promise.all(Array.from({ length: 200 }, () => api.tasks.submit({ taskType: "code-review" })));
    expect(tasks.every((t) => t.routing.result === "assigned")).toBe(true);
    await Promise.all(tasks.map((t) => api.tasks.reportOutcome({ taskId: t.taskId, success: true, latencyMs: 10, cost: 0.5 })));
    const usage = await testDb().budgetUsage.findMany({ where: { tenantId: tenant.id } });
    expect(usage.map((u) => ({ taskType: u.taskType, tasks: u.tasks, cost: u.cost })).sort((a, b) => a.taskType.localeCompare(b.taskType))).toEqual([
      { taskType: "*", tasks: 200, cost: 100 },
      { taskType: "code-review", tasks: 200, cost: 100 },
    ]);
    expect(await testDb().auditEvent.count({ where: { chainId: tenant.id, action: "constitution.decided" } })).toBe(200);
    expect(await verifyAuditChain(testDb(), tenant.id)).toMatchObject({ ok: true });
    const stats = await testDb().routingStatsHourly.findMany({ where: { tenantId: tenant.id } });
    expect(stats.reduce((sum, s) => sum + s.assigned, 0)).toBe(200);
    expect(stats.reduce((sum, s) => sum + s.latencyBuckets.reduce((a, b) => a + b, 0), 0)).toBe(200);
    const pending = await testDb().$queryRaw<{ n: bigint }[]>`
      SELECT (SELECT count(*) FROM arbiter_deferred.audit_pending) + (SELECT count(*) FROM arbiter_deferred.budget_usage_pending)
        + (SELECT count(*) FROM arbiter_deferred.routing_stats_pending) AS n`;
    expect(Number(pending[0]!.n)).toBe(0);
  });

  it("rolls up 150 simultaneous decisions that place no agent exactly, at commit, and none of a rolled-back one", async () => {
    const { api, tenant } = await setup();
    const full = await api.agents.register(agentInput({ name: "full", maxConcurrentTasks: 1 }));
    await api.tasks.submit({ taskType: "code-review" }); // takes its only slot
    const waiting = await Promise.all(Array.from({ length: 150 }, () => api.tasks.submit({ taskType: "code-review" })));
    expect(waiting.every((t) => t.routing.result === "waiting")).toBe(true);
    const rollUp = async () => {
      const rows = await testDb().routingStatsHourly.findMany({ where: { tenantId: tenant.id, taskType: "code-review" } });
      return Object.fromEntries(rows.map((r) => [r.agentId === full.id ? "full" : r.agentId, { decisions: r.decisions, assigned: r.assigned, waiting: r.waiting, buckets: r.latencyBuckets.reduce((a, b) => a + b, 0) }]));
    };
    expect(await rollUp()).toEqual({ full: { decisions: 1, assigned: 1, waiting: 0, buckets: 1 }, "": { decisions: 150, assigned: 0, waiting: 150, buckets: 150 } });
    // A decision whose transaction rolls back leaves nothing in the roll-up.
    const { routeTask } = await import("@/server/routing/router");
    const { runInTenantScope } = await import("@/server/db/tenant-scope");
    const { seededRng } = await import("@/server/routing/random");
    const task = await testDb().task.findFirstOrThrow({ where: { tenantId: tenant.id, status: "submitted" } });
    await expect(
      runInTenantScope(testDb(), tenant.id, async (tx) => {
        expect((await routeTask(tx, task, new Date(), seededRng(1))).result).toBe("waiting");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await rollUp())[""]).toMatchObject({ decisions: 150 });
  });

  it("loses no update when many outcomes arrive at once", async () => {
    const { api } = await setup();
    const agent = await api.agents.register(agentInput({ maxConcurrentTasks: 60 }));
    const tasks = await Promise.all(Array.from({ length: 60 }, () => api.tasks.submit({ taskType: "code-review" })));
    await Promise.all(tasks.map((t, i) => api.tasks.reportOutcome({ taskId: t.taskId, success: i % 3 !== 0, quality: 0.5, latencyMs: 20 + i })));
    const perf = await testDb().agentPerformance.findFirstOrThrow({ where: { agentId: agent.id } });
    expect(perf).toMatchObject({ tasks: 60, successes: 40, qualityCount: 60 });
    expect(perf.latencyBuckets.reduce((a, b) => a + b, 0)).toBe(60);
    const arm = await testDb().banditArm.findFirstOrThrow({ where: { agentId: agent.id } });
    expect(arm.pending).toBe(0);
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: agent.id } })).activeTasks).toBe(0);
  });
});
