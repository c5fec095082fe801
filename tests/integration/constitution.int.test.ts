// The constitutional runtime end to end through tRPC and real Postgres: versioned policies and
// specs, the check before assignment, the database refusing assignments without an allow decision,
// waivers with distinct approvers freeing waiting tasks, tenant budgets, dry runs and impact previews.
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { PASSING_EVIDENCE, addUser, agentInput, callerFor, changeOf, makeTenant, specYaml, testDb } from "../helpers";
import { DEFAULT_POLICY_YAML } from "@/server/constitution/policy-schema";
import { dryRun } from "@/server/constitution/what-if";
import { decideWaiver, recordEndedWaivers, requestWaiver } from "@/server/constitution/waiver-service";
import { verifyAuditChain } from "@/server/audit/service";
import { reevaluateRenewedBudgets } from "@/server/constitution/reevaluation";

const errorOf = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as TRPCError);
/** The default policy, but a change over budget waits for a waiver instead of being denied. */
const WAIT_ON_BUDGET = DEFAULT_POLICY_YAML.replace("budget_limit: { enabled: true, mode: block, on_violation: deny }", "budget_limit: { enabled: true, mode: block, on_violation: needs_waiver }");

async function setup() {
  const t = await makeTenant();
  const owner = await callerFor({ userId: t.owner.id });
  const approver = await addUser(t.tenant.id, "approver");
  const operator = await addUser(t.tenant.id, "operator");
  const member = await addUser(t.tenant.id, "member");
  await owner.agents.register(agentInput({ name: "worker", maxConcurrentTasks: 10 }));
  await owner.constitution.saveSpec({ content: specYaml("FEAT-0001", 2) });
  return {
    ...t,
    owner,
    approver: { ...approver, api: await callerFor({ userId: approver.id }) },
    operator: { ...operator, api: await callerFor({ userId: operator.id }) },
    member: { ...member, api: await callerFor({ userId: member.id }) },
  };
}

async function activate(api: Awaited<ReturnType<typeof callerFor>>, content: string) {
  const v = await api.constitution.savePolicy({ content });
  return api.constitution.activatePolicy({ id: v.id });
}

describe("policies and specs", () => {
  it("keeps every policy version with its hash, diffs them, and activates as a separate audited step", async () => {
    const { owner, tenant } = await setup();
    const v1 = await owner.constitution.savePolicy({ content: DEFAULT_POLICY_YAML });
    const v2 = await owner.constitution.savePolicy({ content: WAIT_ON_BUDGET });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await errorOf(owner.constitution.savePolicy({ content: WAIT_ON_BUDGET })))?.code).toBe("CONFLICT");
    let listed = await owner.constitution.policyVersions();
    expect(listed.activeVersionId).toBeNull();
    await owner.constitution.activatePolicy({ id: v2.id });
    listed = await owner.constitution.policyVersions();
    expect(listed.activeVersionId).toBe(v2.id);
    const diff = await owner.constitution.policyDiff({ from: v1.id, to: v2.id });
    expect([diff.added, diff.removed]).toEqual([1, 1]);
    expect(diff.lines.find((l) => l.kind === "added")!.text).toContain("on_violation: needs_waiver");
    const actions = (await testDb().auditEvent.findMany({ where: { chainId: tenant.id, action: { startsWith: "policy." } }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["policy.version_saved", "policy.version_saved", "policy.activated"]);
  });

  it("refuses an invalid policy or spec with each error's path and line, and saves nothing", async () => {
    const { owner, tenant } = await setup();
    const bad = await errorOf(owner.constitution.savePolicy({ content: "version: 1\nrisk_tiers:\n  '1': { max_files: -1, max_loc: 10 }\ngates: {}\n" }));
    expect(bad?.code).toBe("BAD_REQUEST");
    const fieldErrors = (bad?.cause as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {};
    expect(fieldErrors.content?.join("\n")).toMatch(/line 3 \(\/risk_tiers\/1\/max_files\): must be >= 0/);
    const badSpec = await errorOf(owner.constitution.saveSpec({ content: specYaml("FEAT-0002", 1).replace("rollback: [disable the retry flag]\n", "") }));
    expect(badSpec?.code).toBe("BAD_REQUEST");
    expect(await testDb().policyVersion.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await testDb().specVersion.count({ where: { tenantId: tenant.id, specId: "FEAT-0002" } })).toBe(0);
  });

  it("versions specs and says which format each is", async () => {
    const { owner } = await setup();
    await owner.constitution.saveSpec({ content: specYaml("FEAT-0001", 2, ["src/billing/", "src/payments/"]) });
    const spec = await owner.constitution.spec({ specId: "FEAT-0001" });
    expect(spec.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(spec.current.format).toBe("current");
    const diff = await owner.constitution.specDiff({ specId: "FEAT-0001", from: 1, to: 2 });
    expect(diff.lines.filter((l) => l.kind === "added").map((l) => l.text)).toEqual(['  in: ["src/billing/", "src/payments/"]']);
  });
});

describe("the check before assignment", () => {
  it("records a decision for every task and assigns only allowed ones", async () => {
    const { owner, tenant } = await setup();
    const ok = await owner.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(3) });
    expect(ok.constitution.verdict).toBe("allow");
    expect(ok.routing.result).toBe("assigned");
    const denied = await owner.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(105) });
    expect(denied.constitution).toMatchObject({ verdict: "deny", failed: [expect.objectContaining({ rule: "budget.max_files", message: "105 files exceeds the budget of 100 by 5" })] });
    expect(denied.routing.result).toBe("denied");
    const lowCoverage = await owner.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(3, { ...PASSING_EVIDENCE, coverage: 0.5 }) });
    expect(lowCoverage.constitution.failed).toEqual([expect.objectContaining({ gate: "coverage_threshold" })]);
    const outside = await owner.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: { ...changeOf(1), files: ["src/auth/session.ts"] } });
    expect(outside.constitution.failed.map((f) => f.message)).toEqual(["scope violation: src/auth/session.ts outside scope.in"]);
    const noTask = await owner.tasks.get({ taskId: denied.taskId });
    expect(noTask).toMatchObject({ status: "denied", agentId: null });

    const tasks = await testDb().task.findMany({ where: { tenantId: tenant.id }, select: { id: true, constitutionalDecisionId: true, agentId: true } });
    for (const t of tasks) expect(t.constitutionalDecisionId).not.toBeNull();
    const decisions = await owner.constitution.decisions({ days: 1 });
    expect(decisions.items).toHaveLength(4);
    const record = await owner.constitution.decision({ id: denied.constitution.decisionId });
    expect(record).toMatchObject({ verdict: "deny", tier: 2, failedRules: ["budget.max_files"], task: { status: "denied" } });
    expect(await testDb().auditEvent.count({ where: { chainId: tenant.id, action: "constitution.decided" } })).toBe(4);
  });

  it("the database refuses any assignment that does not reference this task's allow decision", async () => {
    const { owner, tenant } = await setup();
    const db = testDb();
    const agent = await db.agent.findFirstOrThrow({ where: { tenantId: tenant.id } });
    const allowed = await owner.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(1) });
    const denied = await owner.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(200) });
    const refused = /cannot be assigned without an allow decision/;
    // Assign the denied task directly.
    await expect(db.$executeRaw`UPDATE tasks SET status = 'assigned', "agentId" = ${agent.id} WHERE id = ${denied.taskId}`).rejects.toThrow(refused);
    // Point it at another task's allow decision.
    await expect(
      db.$executeRaw`UPDATE tasks SET status = 'assigned', "agentId" = ${agent.id}, "constitutionalDecisionId" = ${allowed.constitution.decisionId} WHERE id = ${denied.taskId}`,
    ).rejects.toThrow(refused);
    // Insert a task that is assigned from the start.
    await expect(
      db.$executeRaw`INSERT INTO tasks (id, "tenantId", type, "requiredLanguages", "requiredSpecializations", payload, status, "agentId") VALUES ('bypass', ${tenant.id}, 'code-review', '{}', '{}', '{}', 'assigned', ${agent.id})`,
    ).rejects.toThrow(refused);
    // Swap the decision of an assigned task for a deny.
    await expect(db.$executeRaw`UPDATE tasks SET "constitutionalDecisionId" = ${denied.constitution.decisionId} WHERE id = ${allowed.taskId}`).rejects.toThrow(refused);
    // Decisions cannot be rewritten either.
    await expect(db.$executeRaw`UPDATE constitutional_decisions SET verdict = 'allow' WHERE id = ${denied.constitution.decisionId}`).rejects.toThrow(/append-only/);
    expect(await db.task.findUniqueOrThrow({ where: { id: denied.taskId } })).toMatchObject({ status: "denied", agentId: null });
    // Every assigned task in the tenant references an allow decision for itself: 100% compliance.
    const assigned = await db.task.findMany({ where: { tenantId: tenant.id, agentId: { not: null } }, select: { id: true, constitutionalDecisionId: true } });
    for (const t of assigned) {
      const d = await db.constitutionalDecision.findUniqueOrThrow({ where: { id: t.constitutionalDecisionId! } });
      expect([d.taskId, d.verdict]).toEqual([t.id, "allow"]);
    }
  });
});

describe("waivers", () => {
  it("a task over budget waits; two distinct approvers activate a waiver and the task proceeds without resubmission", async () => {
    const { owner, approver, operator, member, tenant } = await setup();
    await activate(owner, WAIT_ON_BUDGET);
    const task = await member.api.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(105) });
    expect(task.constitution.verdict).toBe("needs_waiver");
    expect((await member.api.tasks.get({ taskId: task.taskId })).status).toBe("awaiting_waiver");

    const waiver = await member.api.waivers.request({
      title: "Billing refactor touches 105 files",
      gates: ["budget_limit"],
      deltaFiles: 10,
      reasonCode: "architectural_refactor",
      description: "The retry rework renames a module used across billing.",
      mitigation: "Reviewed in two passes; feature flag guards the new path.",
      specId: "FEAT-0001",
      taskId: task.taskId,
    });
    expect(waiver).toMatchObject({ code: "WV-0001", requiredApprovals: 2 });
    expect(await owner.waivers.counts()).toMatchObject({ pending: 1 });
    expect(await owner.tenant.overview({ days: 7 })).toMatchObject({ awaitingWaiver: 1, pendingWaivers: 1, deniedInPeriod: 0 });

    // The requester cannot approve it, even holding an approving role through another path.
    const selfApproval = await errorOf(decideWaiver(testDb(), { actor: { type: "user", id: member.id, label: member.email }, userId: member.id, requestId: null }, tenant.id, { waiverId: waiver.id, decision: "approve", comment: "mine" }));
    expect(selfApproval?.message).toBe("Nobody approves their own waiver request");
    // A member cannot approve at all.
    expect((await errorOf(member.api.waivers.decide({ waiverId: waiver.id, decision: "approve", comment: "ok" })))?.code).toBe("FORBIDDEN");

    const first = await approver.api.waivers.decide({ waiverId: waiver.id, decision: "approve", comment: "Refactor plan reviewed" });
    expect(first).toMatchObject({ status: "proposed", approvals: 1, requiredApprovals: 2 });
    expect((await errorOf(approver.api.waivers.decide({ waiverId: waiver.id, decision: "approve", comment: "again" })))?.code).toBe("CONFLICT");
    expect((await member.api.tasks.get({ taskId: task.taskId })).status).toBe("awaiting_waiver");

    const second = await operator.api.waivers.decide({ waiverId: waiver.id, decision: "approve", comment: "Flag makes it reversible" });
    expect(second).toMatchObject({ status: "active", approvals: 2, reevaluated: { evaluated: 1, allowed: 1, assigned: 1 } });
    const after = await member.api.tasks.get({ taskId: task.taskId });
    expect(after.status).toBe("assigned");
    const decision = await owner.constitution.decision({ id: after.constitutionalDecisionId! });
    expect(decision).toMatchObject({ verdict: "allow", trigger: "waiver_activated", appliedWaiverIds: ["WV-0001"] });

    const chain = await testDb().auditEvent.findMany({ where: { chainId: tenant.id }, orderBy: { seq: "asc" }, select: { action: true } });
    const actions = chain.map((e) => e.action).filter((a) => /^(constitution|waiver|routing|task)/.test(a));
    expect(actions).toEqual(expect.arrayContaining(["constitution.decided", "waiver.requested", "waiver.approved", "waiver.activated"]));
    expect(actions.filter((a) => a === "waiver.approved")).toHaveLength(2);
    expect((await verifyAuditChain(testDb(), tenant.id)).ok).toBe(true);
  });

  it("a waiver active with one approval covers tier-1 tasks only after a second, added while it is active", async () => {
    const { owner, approver, operator, member } = await setup();
    await owner.constitution.saveSpec({ content: specYaml("FEAT-0009", 1) });
    const lowCoverage = changeOf(2, { ...PASSING_EVIDENCE, coverage: 0.5 });
    await activate(owner, DEFAULT_POLICY_YAML.replace("coverage_threshold: { enabled: true, mode: block }", "coverage_threshold: { enabled: true, mode: block, on_violation: needs_waiver }"));
    const w = await member.api.waivers.request({ title: "Coverage debt", gates: ["coverage_threshold"], reasonCode: "legacy_integration", description: "legacy code without tests yet, project-wide", mitigation: "tests are written in the next sprint" });
    expect(w.requiredApprovals).toBe(1);
    expect((await approver.api.waivers.decide({ waiverId: w.id, decision: "approve", comment: "for tier 2 and 3" })).status).toBe("active");
    const task = await member.api.tasks.submit({ taskType: "code-review", specId: "FEAT-0009", change: lowCoverage });
    expect(task.constitution.verdict).toBe("needs_waiver");
    const record = await owner.constitution.decision({ id: task.constitution.decisionId });
    expect(record.waiversSkipped).toEqual([{ id: w.code, reason: "not enough approvers (1 of 2)" }]);
    expect((await errorOf(operator.api.waivers.decide({ waiverId: w.id, decision: "reject", comment: "too late to reject" })))?.code).toBe("CONFLICT");
    const second = await operator.api.waivers.decide({ waiverId: w.id, decision: "approve", comment: "tier 1 too" });
    expect(second).toMatchObject({ status: "active", approvals: 2, reevaluated: { evaluated: 1, allowed: 1 } });
    expect((await member.api.tasks.get({ taskId: task.taskId })).status).toBe("assigned");
  });

  it("another tenant's waiver never applies", async () => {
    const a = await setup();
    const b = await setup();
    await activate(a.owner, WAIT_ON_BUDGET);
    await activate(b.owner, WAIT_ON_BUDGET);
    const w = await b.member.api.waivers.request({ title: "B's raise", gates: ["budget_limit"], deltaFiles: 50, reasonCode: "other", description: "B needs a bigger budget for FEAT-0001", mitigation: "B splits the work when it can do so", specId: "FEAT-0001" });
    await b.approver.api.waivers.decide({ waiverId: w.id, decision: "approve", comment: "fine for B" });
    await b.operator.api.waivers.decide({ waiverId: w.id, decision: "approve", comment: "fine for B" });
    const task = await a.member.api.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(105) });
    expect(task.constitution.verdict).toBe("needs_waiver");
    const record = await a.owner.constitution.decision({ id: task.constitution.decisionId });
    expect(record.appliedWaiverIds).toEqual([]);
    expect(record.waiversSkipped).toEqual([]);
  });

  it("expired waivers do not apply, rejected ones close the request, and undecided ones lapse", async () => {
    const { owner, approver, operator, member, tenant } = await setup();
    const now = new Date();
    const caller = (u: { id: string; email: string }) => ({ actor: { type: "user" as const, id: u.id, label: u.email }, userId: u.id, requestId: null });
    const w = await requestWaiver(testDb(), caller(member), tenant.id, { title: "Short raise", gates: ["budget_limit"], deltaFiles: 10, reasonCode: "other", description: "a raise that lasts one hour only", mitigation: "it expires on its own quickly", specId: "FEAT-0001", expiresAt: new Date(now.getTime() + 3_600_000) }, now);
    await approver.api.waivers.decide({ waiverId: w.id, decision: "approve", comment: "fine for an hour" });
    await operator.api.waivers.decide({ waiverId: w.id, decision: "approve", comment: "fine for an hour" });
    const input = { taskType: "code-review", specId: "FEAT-0001", change: changeOf(105) };
    expect((await dryRun(testDb(), tenant.id, input, new Date(now.getTime() + 60_000))).verdict).toBe("allow");
    const later = await dryRun(testDb(), tenant.id, input, new Date(now.getTime() + 2 * 3_600_000));
    expect(later.verdict).toBe("deny");
    expect(later.waiversSkipped).toEqual([{ id: "WV-0001", reason: expect.stringMatching(/^expired at/) }]);

    const capped = await member.api.waivers.request({ title: "Long one", gates: ["lint"], reasonCode: "other", description: "asks for a year, the policy caps it", mitigation: "lint debt is tracked in the backlog", expiresAt: new Date(now.getTime() + 365 * 86_400_000) });
    expect(capped.expiryCapped).toBe(true);
    await owner.waivers.decide({ waiverId: capped.id, decision: "reject", comment: "fix the lint instead" });
    expect((await owner.waivers.list({ view: "rejected" })).items.map((x) => x.code)).toEqual([capped.code]);

    const old = await requestWaiver(testDb(), caller(member), tenant.id, { title: "Forgotten", gates: ["lint"], reasonCode: "other", description: "nobody looks at this request at all", mitigation: "none, it should lapse on its own" }, new Date(now.getTime() - 8 * 86_400_000));
    expect((await errorOf(owner.waivers.decide({ waiverId: old.id, decision: "approve", comment: "late" })))?.message).toMatch(/is lapsed/);
    expect((await owner.waivers.list({ view: "lapsed" })).items.map((x) => x.code)).toEqual([old.code]);
    // The sweep records the lapse, and later the expiry, once each in the audit chain.
    await recordEndedWaivers(testDb(), now);
    await recordEndedWaivers(testDb(), new Date(now.getTime() + 2 * 3_600_000));
    await recordEndedWaivers(testDb(), new Date(now.getTime() + 3 * 3_600_000));
    const ends = await testDb().auditEvent.findMany({ where: { chainId: tenant.id, action: { in: ["waiver.expired", "waiver.lapsed"] } }, orderBy: { seq: "asc" } });
    expect(ends.map((e) => [e.action, (e.summary as { code: string }).code])).toEqual([
      ["waiver.lapsed", old.code],
      ["waiver.expired", "WV-0001"],
    ]);
    await owner.waivers.revoke({ waiverId: w.id, reason: "no longer needed" });
    const afterRevoke = await dryRun(testDb(), tenant.id, input, new Date(now.getTime() + 60_000));
    expect(afterRevoke.verdict).toBe("deny");
    expect(afterRevoke.waiversSkipped).toEqual([
      { id: "WV-0001", reason: "revoked" },
      { id: "WV-0002", reason: "rejected" },
      { id: "WV-0003", reason: "lapsed: nobody decided it in time" },
    ]);
  });
});

describe("tenant budgets", () => {
  it("counts usage with assignment, waits over budget, and records 75/90/100% events once", async () => {
    const { owner, tenant } = await setup();
    await owner.budgets.set({ taskType: "code-review", tasksPerDay: 4, costUnitsPerMonth: null });
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push((await owner.tasks.submit({ taskType: "code-review" })).constitution.verdict);
    expect(verdicts).toEqual(["allow", "allow", "allow", "allow", "needs_waiver"]);
    const overview = await owner.budgets.overview();
    expect(overview.budgets[0]).toMatchObject({ taskType: "code-review", tasksToday: 4, tasksPerDay: 4, tasksUsedPct: 100 });
    expect(overview.events.map((e) => e.threshold).sort()).toEqual([100, 75, 90].sort());
    expect(await testDb().auditEvent.count({ where: { chainId: tenant.id, action: "budget.threshold_reached" } })).toBe(3);
    // A budget with precedence: the tenant-wide one binds too.
    await owner.budgets.set({ taskType: "*", tasksPerDay: 2, costUnitsPerMonth: null });
    const dry = await owner.constitution.dryRun({ taskType: "docs" });
    expect(dry.rules.filter((r) => r.gate === "tenant_budget").map((r) => [r.rule, r.status])).toEqual([["tenant_budget.tasks_per_day", "fail"]]);
  });

  it("a task waiting on a budget proceeds when the budget is raised, or when the day renews", async () => {
    const { owner, tenant } = await setup();
    await owner.budgets.set({ taskType: "code-review", tasksPerDay: 1, costUnitsPerMonth: null });
    await owner.tasks.submit({ taskType: "code-review" });
    const second = await owner.tasks.submit({ taskType: "code-review" });
    const third = await owner.tasks.submit({ taskType: "code-review" });
    expect([second.constitution.verdict, third.constitution.verdict]).toEqual(["needs_waiver", "needs_waiver"]);
    const raised = await owner.budgets.set({ taskType: "code-review", tasksPerDay: 2, costUnitsPerMonth: null });
    expect(raised).toMatchObject({ reevaluated: 2, assigned: 1 });
    expect((await owner.tasks.get({ taskId: second.taskId })).status).toBe("assigned");
    expect((await owner.tasks.get({ taskId: third.taskId })).status).toBe("awaiting_waiver");

    const tomorrow = new Date(Date.now() + 86_400_000);
    expect(await reevaluateRenewedBudgets(testDb(), tomorrow)).toBeGreaterThanOrEqual(1);
    // Allowed; "tomorrow" the agent has sent no heartbeat for a day, so the task waits for one.
    expect((await owner.tasks.get({ taskId: third.taskId })).status).toBe("submitted");
    const decisions = await testDb().constitutionalDecision.findMany({ where: { tenantId: tenant.id, taskId: third.taskId }, orderBy: { createdAt: "asc" } });
    expect(decisions.map((d) => [d.trigger, d.verdict])).toEqual([
      ["submit", "needs_waiver"],
      ["budget_changed", "needs_waiver"],
      ["budget_renewed", "allow"],
    ]);
  });
});

describe("impact preview", () => {
  it("replays recent decisions under a new policy version and counts the flips before activation", async () => {
    const { owner } = await setup();
    for (const files of [3, 50, 90]) await owner.tasks.submit({ taskType: "code-review", specId: "FEAT-0001", change: changeOf(files) });
    const stricter = await owner.constitution.savePolicy({ content: DEFAULT_POLICY_YAML.replace('"2": { description: Standard, max_files: 100,', '"2": { description: Standard, max_files: 40,') });
    const preview = await owner.constitution.impactPreview({ policyVersionId: stricter.id, days: 7 });
    expect(preview).toMatchObject({ replayed: 3, unchanged: 1, flips: [{ from: "allow", to: "deny", count: 2 }] });
    expect(preview.flips[0]!.examples[0]!.reason).toMatch(/exceeds the budget of 40/);
    expect((await owner.constitution.policyVersions()).activeVersionId).toBeNull();
  });
});
