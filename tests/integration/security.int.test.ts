// RBAC and tenant isolation, enumerated from the router itself: a procedure added later is covered
// (or fails the coverage check) without anyone editing this file's list of procedures.
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { listProcedures } from "@/server/trpc/procedures";
import { ROLES, roleAllows } from "@/server/auth/permissions";
import { PASSWORD, addUser, agentInput, callerFor, changeOf, makeTenant, specYaml, testDb } from "../helpers";

type Caller = Awaited<ReturnType<typeof callerFor>>;

function procedureAt(caller: Caller, path: string): (input: unknown) => Promise<unknown> {
  const parts = path.split(".");
  const router = (caller as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[parts[0]!]!;
  return (input) => router[parts[1]!]!(input);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("every procedure declares who may call it", () => {
  it("has a permission, or is explicitly public or authenticated-only", () => {
    const undeclared = listProcedures().filter((p) => p.access.kind === "undeclared");
    expect(undeclared.map((p) => p.path)).toEqual([]);
    expect(listProcedures().length).toBeGreaterThan(30);
  });
});

describe("RBAC: every role x every procedure", () => {
  it("allows exactly what the permission matrix says, and answers FORBIDDEN otherwise", async () => {
    const { tenant, owner } = await makeTenant();
    const users: Record<string, string> = { owner: owner.id };
    for (const role of ROLES.filter((r) => r !== "owner")) users[role] = (await addUser(tenant.id, role)).id;
    const gated = listProcedures().filter((p) => p.access.kind === "permission");
    let checks = 0;
    for (const role of ROLES) {
      const caller = await callerFor({ userId: users[role] });
      for (const p of gated) {
        if (p.access.kind !== "permission") continue;
        // Permission is checked before input validation, so an empty input tells the two apart:
        // a forbidden role gets FORBIDDEN, an allowed one gets past it (to BAD_REQUEST or a result).
        const code = await codeOf(procedureAt(caller, p.path)(undefined));
        if (roleAllows(role, p.access.permission)) expect([p.path, role, code]).not.toEqual([p.path, role, "FORBIDDEN"]);
        else expect([p.path, role, code]).toEqual([p.path, role, "FORBIDDEN"]);
        expect(code).not.toBe("UNAUTHORIZED");
        checks += 1;
      }
    }
    console.log(`[rbac] ${checks} role x procedure checks over ${gated.length} procedures and ${ROLES.length} roles`);
    expect(checks).toBe(gated.length * ROLES.length);
  });

  it("answers UNAUTHORIZED to every non-public procedure without credentials", async () => {
    const anonymous = await callerFor();
    for (const p of listProcedures().filter((x) => x.access.kind !== "public")) {
      expect([p.path, await codeOf(procedureAt(anonymous, p.path)(undefined))]).toEqual([p.path, "UNAUTHORIZED"]);
    }
  });
});

describe("tenant isolation: tenant B against every procedure with tenant A's ids", () => {
  it("never reads or changes tenant A's data", async () => {
    const db = testDb();
    const a = await makeTenant();
    const ownerA = await callerFor({ userId: a.owner.id });
    const agent = await ownerA.agents.register(agentInput({ name: "a-agent", maxConcurrentTasks: 3 }));
    const { taskId, routing } = await ownerA.tasks.submit({ taskType: "code-review", payload: { secret: "tenant-a-payload" } });
    const { taskId: runningTaskId } = await ownerA.tasks.submit({ taskType: "code-review" });
    const { apiToken } = await ownerA.tokens.create({ name: "a-token", role: "member", scopes: ["*"], expiresInDays: 5 });
    const invite = await ownerA.members.invite({ email: "a-invitee@example.test", role: "viewer" });
    const members = await ownerA.members.list();
    const doc = await ownerA.knowledge.add({ title: "A's runbook", body: "tenant-a-payload lives in this knowledge document" });
    const policy = await ownerA.constitution.savePolicy({ content: (await ownerA.constitution.policyVersions()).defaultContent + "# tenant-a-payload\n" });
    await ownerA.constitution.saveSpec({ content: specYaml("FEAT-0042") });
    const overBudget = await ownerA.tasks.submit({ taskType: "code-review", specId: "FEAT-0042", change: changeOf(101) });
    const waiver = await ownerA.waivers.request({
      title: "tenant-a-payload waiver",
      gates: ["budget_limit"],
      deltaFiles: 5,
      reasonCode: "legacy_integration",
      description: "tenant-a-payload needs more files than the budget",
      mitigation: "split the change into two follow-up tasks",
      specId: "FEAT-0042",
    });
    await ownerA.budgets.set({ taskType: "*", tasksPerDay: 1000, costUnitsPerMonth: null });
    const ids = {
      agentId: agent.id,
      taskId,
      decisionId: routing.decisionId!,
      tokenId: apiToken.id,
      membershipId: members.members[0]!.id,
      invitationId: members.invitations[0]!.id,
      documentId: doc.id,
      policyVersionId: policy.id,
      waiverId: waiver.id,
      constitutionalDecisionId: overBudget.constitution.decisionId,
    };

    const snapshot = async () =>
      JSON.stringify(
        await Promise.all([
          db.agent.findMany({ where: { tenantId: a.tenant.id }, orderBy: { id: "asc" } }),
          db.task.findMany({ where: { tenantId: a.tenant.id }, orderBy: { id: "asc" } }),
          db.apiToken.findMany({ where: { tenantId: a.tenant.id }, orderBy: { id: "asc" } }),
          db.membership.findMany({ where: { tenantId: a.tenant.id }, orderBy: { id: "asc" } }),
          db.invitation.findMany({ where: { tenantId: a.tenant.id }, orderBy: { id: "asc" } }),
          db.routingPolicy.findMany({ where: { tenantId: a.tenant.id } }),
          db.rateLimitSetting.findMany({ where: { tenantId: a.tenant.id } }),
          db.knowledgeDocument.findMany({ where: { tenantId: a.tenant.id } }),
          db.researchCache.findMany({ where: { tenantId: a.tenant.id } }),
          db.taskFinding.findMany({ where: { tenantId: a.tenant.id } }),
          db.researchSettings.findMany({ where: { tenantId: a.tenant.id } }),
          db.providerCredential.findMany({ where: { tenantId: a.tenant.id } }),
          db.policyVersion.findMany({ where: { tenantId: a.tenant.id } }),
          db.specVersion.findMany({ where: { tenantId: a.tenant.id } }),
          db.constitutionalDecision.findMany({ where: { tenantId: a.tenant.id }, orderBy: { id: "asc" } }),
          db.waiver.findMany({ where: { tenantId: a.tenant.id } }),
          db.waiverApproval.findMany({ where: { tenantId: a.tenant.id } }),
          db.tenantBudget.findMany({ where: { tenantId: a.tenant.id } }),
          db.auditEvent.count({ where: { chainId: a.tenant.id } }),
        ]),
      );
    const before = await snapshot();

    // Inputs aimed at A's objects, for every procedure; B's owner holds every permission in B.
    const attacks: Record<string, unknown> = {
      "tenant.me": undefined,
      "tenant.overview": { days: 7 },
      "tenant.roles": undefined,
      "tenant.whoami": undefined,
      "tokens.list": undefined,
      "tokens.create": { name: "b", role: "viewer", scopes: ["*"], expiresInDays: 1 },
      "tokens.revoke": { tokenId: ids.tokenId },
      "tokens.exchange": undefined,
      "members.list": undefined,
      "members.invite": { email: "b-invitee@example.test", role: "viewer" },
      "members.changeRole": { membershipId: ids.membershipId, role: "viewer" },
      "members.remove": { membershipId: ids.membershipId },
      "members.revokeInvitation": { invitationId: ids.invitationId },
      "audit.list": { limit: 200 },
      "audit.verify": undefined,
      "agents.list": { includeUnregistered: true },
      "agents.get": { agentId: ids.agentId },
      // The same name as A's agent: names are unique per tenant, so this registers B's own agent.
      "agents.register": agentInput({ name: "a-agent" }),
      "agents.update": { agentId: ids.agentId, maxConcurrentTasks: 1 },
      "agents.setStatus": { agentId: ids.agentId, status: "offline" },
      "agents.heartbeat": { agentId: ids.agentId },
      "agents.unregister": { agentId: ids.agentId },
      "agents.match": { taskType: "code-review" },
      "tasks.submit": { taskType: "code-review" },
      "tasks.get": { taskId: ids.taskId },
      "tasks.findings": { taskId: ids.taskId },
      "tasks.list": {},
      "tasks.reportProgress": { taskId: runningTaskId, progress: 0.5 },
      "tasks.reportOutcome": { taskId: ids.taskId, success: false, latencyMs: 1 },
      "tasks.cancel": { taskId: ids.taskId },
      "routing.metrics": { range: "30d" },
      "routing.decisions": { range: "30d" },
      "routing.decision": { decisionId: ids.decisionId },
      "routing.taskTypes": undefined,
      "routing.policies": undefined,
      "routing.effectivePolicy": { taskType: "code-review" },
      "routing.setPolicy": { taskType: "*", strategy: "ucb1" },
      "security.rateLimits": undefined,
      "knowledge.list": {},
      "research.query": { query: "knowledge document" },
      "research.cache": undefined,
      "research.providers": undefined,
      "research.settings": undefined,
      "research.saveSettings": { chain: ["local"], fanOut: 0, cacheTtlSeconds: 60, allowDomains: [], denyDomains: [], domainWeights: [] },
      "research.saveCredential": { provider: "brave", secret: "b-key" },
      "knowledge.search": { query: "tenant-a-payload" },
      "knowledge.add": { title: "B's own", body: "b" },
      "knowledge.addFromUrl": { url: "http://127.0.0.1:9/unreachable" },
      "knowledge.remove": { documentId: ids.documentId },
      "security.setRateLimit": { operationClass: "query", perTenant: 100_000, perPrincipal: 100_000, windowSeconds: 60 },
      "constitution.validatePolicy": { content: "version: 1" },
      "constitution.policyVersions": undefined,
      "constitution.policyVersion": { id: ids.policyVersionId },
      "constitution.policyDiff": { from: "default", to: ids.policyVersionId },
      "constitution.savePolicy": { content: "version: 1\nrisk_tiers: {}\ngates: {}\n" },
      "constitution.impactPreview": { policyVersionId: ids.policyVersionId, days: 7 },
      "constitution.activatePolicy": { id: ids.policyVersionId },
      "constitution.validateSpec": { content: "id: X-1" },
      "constitution.specs": undefined,
      "constitution.spec": { specId: "FEAT-0042" },
      "constitution.specDiff": { specId: "FEAT-0042", from: 1, to: 1 },
      "constitution.saveSpec": { content: "id: FEAT-0042\n" },
      "constitution.dryRun": { taskType: "code-review", specId: "FEAT-0042", change: changeOf(3) },
      "constitution.decisions": { days: 30 },
      "constitution.decision": { id: ids.constitutionalDecisionId },
      "constitution.decisionMetrics": { days: 30 },
      "waivers.request": { title: "B", gates: ["lint"], reasonCode: "other", description: "a waiver B asks for, for itself", mitigation: "nothing to mitigate in tenant B", specId: "FEAT-0042" },
      "waivers.decide": { waiverId: ids.waiverId, decision: "approve", comment: "looks fine" },
      "waivers.revoke": { waiverId: ids.waiverId, reason: "not mine" },
      "waivers.list": { view: "all" },
      "waivers.get": { waiverId: ids.waiverId },
      "waivers.counts": undefined,
      "budgets.overview": undefined,
      "budgets.set": { taskType: "*", tasksPerDay: 1, costUnitsPerMonth: null },
      // Public procedures take an invitation secret, not an id: A's secret is unknown to B.
      "members.describeInvitation": { token: "not-tenant-a-invitation-secret" },
      "members.acceptInvitation": { token: "not-tenant-a-invitation-secret", name: "x", password: PASSWORD },
    };
    const procedures = listProcedures();
    expect(procedures.map((p) => p.path).filter((path) => !(path in attacks))).toEqual([]);

    const b = await makeTenant();
    const ownerB = await callerFor({ userId: b.owner.id, tenantSlug: a.tenant.slug });
    const secrets = [...Object.values(ids), "tenant-a-payload", "a-token", a.owner.email, "a-invitee@example.test", a.tenant.slug];
    let attempts = 0;
    const outcomes: Record<string, number> = {};
    for (const p of procedures) {
      attempts += 1;
      let leaked: string[] = [];
      let code = "OK";
      try {
        const result = await procedureAt(ownerB, p.path)(attacks[p.path]);
        const text = JSON.stringify(result);
        leaked = secrets.filter((s) => text.includes(s));
      } catch (error) {
        code = error instanceof TRPCError ? error.code : "THROWN";
      }
      outcomes[code] = (outcomes[code] ?? 0) + 1;
      expect([p.path, leaked]).toEqual([p.path, []]);
      expect([p.path, code]).not.toEqual([p.path, "INTERNAL_SERVER_ERROR"]);
    }
    expect(await snapshot()).toBe(before);
    console.log(`[isolation] ${procedures.length} procedures, ${attempts} attempts with tenant A's ids as tenant B, 0 leaks; outcomes ${JSON.stringify(outcomes)}`);
    expect(invite.kind).toBe("invited");
    expect(overBudget.constitution.verdict).toBe("deny");
  });
});
