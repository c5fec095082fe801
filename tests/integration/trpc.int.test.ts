import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { PASSWORD, addUser, callerFor, makeTenant, testDb } from "../helpers";

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}

async function auditCount(tenantId: string) {
  return testDb().auditEvent.count({ where: { chainId: tenantId } });
}

describe("tRPC: authentication, roles, tenancy and validation", () => {
  it("rejects an unauthenticated call with UNAUTHORIZED", async () => {
    const anonymous = await callerFor();
    expect(await codeOf(anonymous.tenant.me())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.tokens.create({ name: "x", role: "viewer", scopes: ["*"], expiresInDays: 1 }))).toBe("UNAUTHORIZED");
  });

  it("rejects malformed input with BAD_REQUEST, field messages, and no write", async () => {
    const { tenant, owner } = await makeTenant();
    const caller = await callerFor({ userId: owner.id });
    const before = await auditCount(tenant.id);
    // Deliberately malformed, as a hand-written HTTP client might send it.
    const malformed = { name: "", role: "superuser", scopes: [], expiresInDays: 0 } as unknown as Parameters<typeof caller.tokens.create>[0];
    const error = await caller.tokens.create(malformed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const issues = ((error as TRPCError).cause as unknown as { issues: { path: string[] }[] }).issues.map((i) => i.path.join("."));
    expect(issues.sort()).toEqual(["expiresInDays", "name", "role", "scopes"]);
    expect(await testDb().apiToken.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await auditCount(tenant.id)).toBe(before);
  });

  it("rejects a role without the permission with FORBIDDEN, and writes nothing but the security audit entries", async () => {
    const { tenant } = await makeTenant();
    const viewer = await addUser(tenant.id, "viewer");
    const caller = await callerFor({ userId: viewer.id });
    const before = await auditCount(tenant.id);
    expect(await codeOf(caller.tokens.list())).toBe("FORBIDDEN");
    expect(await codeOf(caller.tokens.create({ name: "x", role: "viewer", scopes: ["*"], expiresInDays: 1 }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.members.invite({ email: "a@example.test", role: "viewer" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.audit.verify())).toBe("FORBIDDEN");
    expect(await codeOf(caller.audit.list({ limit: 10 }))).toBe("OK");
    expect(await testDb().apiToken.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await testDb().invitation.count({ where: { tenantId: tenant.id, email: "a@example.test" } })).toBe(0);
    const added = await testDb().auditEvent.findMany({ where: { chainId: tenant.id, seq: { gt: before } } });
    expect(added.map((e) => e.action)).toEqual(Array(4).fill("security.access_denied"));
  });

  it("answers NOT_FOUND for another tenant's ids and leaves them untouched", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const ownerA = await callerFor({ userId: a.owner.id });
    const ownerB = await callerFor({ userId: b.owner.id });
    const { apiToken } = await ownerA.tokens.create({ name: "a-token", role: "member", scopes: ["*"], expiresInDays: 30 });
    const membersA = await ownerA.members.list();
    expect(await codeOf(ownerB.tokens.revoke({ tokenId: apiToken.id }))).toBe("NOT_FOUND");
    expect(await codeOf(ownerB.members.remove({ membershipId: membersA.members[0]!.id }))).toBe("NOT_FOUND");
    expect(await codeOf(ownerB.members.changeRole({ membershipId: membersA.members[0]!.id, role: "viewer" }))).toBe("NOT_FOUND");
    expect((await testDb().apiToken.findUniqueOrThrow({ where: { id: apiToken.id } })).revokedAt).toBeNull();
    expect((await ownerB.tokens.list()).map((t) => t.id)).not.toContain(apiToken.id);
  });

  it("never lets a selected tenant slug override membership", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    // B's owner asks for A's tenant: the selection only picks among their own memberships.
    const caller = await callerFor({ userId: b.owner.id, tenantSlug: a.tenant.slug });
    expect((await caller.tenant.me()).tenant.id).toBe(b.tenant.id);
  });

  it("lets a user in several tenants act in the one they select", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    await (await callerFor({ userId: b.owner.id })).members.invite({ email: a.owner.email, role: "viewer" });
    const inB = await callerFor({ userId: a.owner.id, tenantSlug: b.tenant.slug });
    const me = await inB.tenant.me();
    expect(me.tenant).toMatchObject({ id: b.tenant.id, role: "viewer" });
    expect(me.tenants.map((t) => t.slug).sort()).toEqual([a.tenant.slug, b.tenant.slug].sort());
    expect(await codeOf(inB.tokens.list())).toBe("FORBIDDEN");
  });
});

describe("API tokens", () => {
  it("creates a token shown once, authenticates with it, records last use, and stops it on revoke", async () => {
    const { tenant, owner } = await makeTenant();
    const ownerCaller = await callerFor({ userId: owner.id });
    const { token, apiToken } = await ownerCaller.tokens.create({ name: "ci", role: "operator", scopes: ["tokens:read", "audit:read"], expiresInDays: 30 });
    expect((await testDb().apiToken.findUniqueOrThrow({ where: { id: apiToken.id } })).tokenHash).not.toContain(token);

    const tokenCaller = await callerFor({ bearer: token });
    expect((await tokenCaller.tenant.whoami()).actor.label).toBe("token:ci");
    expect((await tokenCaller.tokens.list()).map((t) => t.name)).toEqual(["ci"]);
    // Scopes limit the role: an operator token without tokens:write cannot create tokens.
    expect(await codeOf(tokenCaller.tokens.create({ name: "x", role: "viewer", scopes: ["*"], expiresInDays: 1 }))).toBe("FORBIDDEN");
    expect((await testDb().apiToken.findUniqueOrThrow({ where: { id: apiToken.id } })).lastUsedAt).not.toBeNull();

    await ownerCaller.tokens.revoke({ tokenId: apiToken.id });
    expect(await codeOf((await callerFor({ bearer: token })).tenant.whoami())).toBe("UNAUTHORIZED");
    const actions = (await ownerCaller.audit.list({ limit: 10, action: "api_token." })).items.map((e) => e.action);
    expect(actions).toEqual(["api_token.revoked", "api_token.created"]);
    expect(tenant.id).toBeTruthy();
  });

  it("refuses an expired token", async () => {
    const { owner } = await makeTenant();
    const { token, apiToken } = await (await callerFor({ userId: owner.id })).tokens.create({ name: "old", role: "viewer", scopes: ["*"], expiresInDays: 1 });
    await testDb().apiToken.update({ where: { id: apiToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await codeOf((await callerFor({ bearer: token })).tenant.whoami())).toBe("UNAUTHORIZED");
  });

  it("does not let an operator mint an owner token", async () => {
    const { tenant } = await makeTenant();
    const operator = await addUser(tenant.id, "operator");
    const caller = await callerFor({ userId: operator.id });
    expect(await codeOf(caller.tokens.create({ name: "esc", role: "owner", scopes: ["*"], expiresInDays: 1 }))).toBe("FORBIDDEN");
    expect(await codeOf(caller.tokens.create({ name: "ok", role: "operator", scopes: ["*"], expiresInDays: 1 }))).toBe("OK");
  });
});

describe("members", () => {
  it("invites a new email, which joins through the link and can sign in to that tenant", async () => {
    const { tenant, owner } = await makeTenant();
    const caller = await callerFor({ userId: owner.id });
    const invited = await caller.members.invite({ email: "New.Person@Example.test", role: "approver" });
    expect(invited.kind).toBe("invited");
    const anonymous = await callerFor();
    expect(await anonymous.members.describeInvitation({ token: invited.inviteToken! })).toMatchObject({ email: "new.person@example.test", role: "approver" });
    await anonymous.members.acceptInvitation({ token: invited.inviteToken!, name: "New Person", password: PASSWORD });
    expect(await codeOf(anonymous.members.acceptInvitation({ token: invited.inviteToken!, name: "Again", password: PASSWORD }))).toBe("NOT_FOUND");
    const list = await caller.members.list();
    expect(list.members.map((m) => [m.email, m.role])).toContainEqual(["new.person@example.test", "approver"]);
    expect(list.invitations).toEqual([]);
    const actions = (await caller.audit.list({ limit: 5, action: "member." })).items.map((e) => e.action);
    expect(actions).toEqual(["member.joined", "member.invited"]);
    expect(tenant.slug).toBeTruthy();
  });

  it("rejects a weak password on accepting with a field message", async () => {
    const { owner } = await makeTenant();
    const invited = await (await callerFor({ userId: owner.id })).members.invite({ email: "weak@example.test", role: "viewer" });
    const error = await (await callerFor()).members
      .acceptInvitation({ token: invited.inviteToken!, name: "W", password: "short" })
      .catch((e: unknown) => e as TRPCError);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(await testDb().user.findUnique({ where: { email: "weak@example.test" } })).toBeNull();
  });

  it("changes roles with effect on the next request, and keeps at least one owner", async () => {
    const { tenant, owner } = await makeTenant();
    const operator = await addUser(tenant.id, "operator");
    const ownerCaller = await callerFor({ userId: owner.id });
    const list = await ownerCaller.members.list();
    const opMembership = list.members.find((m) => m.userId === operator.id)!;
    const ownerMembership = list.members.find((m) => m.userId === owner.id)!;

    expect(await codeOf((await callerFor({ userId: operator.id })).tokens.list())).toBe("OK");
    await ownerCaller.members.changeRole({ membershipId: opMembership.id, role: "viewer" });
    expect(await codeOf((await callerFor({ userId: operator.id })).tokens.list())).toBe("FORBIDDEN");

    const lastOwner = await ownerCaller.members.changeRole({ membershipId: ownerMembership.id, role: "viewer" }).catch((e: unknown) => e as TRPCError);
    expect(lastOwner).toMatchObject({ code: "BAD_REQUEST" });
    expect(await codeOf(ownerCaller.members.remove({ membershipId: ownerMembership.id }))).toBe("BAD_REQUEST");

    await ownerCaller.members.remove({ membershipId: opMembership.id });
    expect(await codeOf((await callerFor({ userId: operator.id })).tenant.me())).toBe("FORBIDDEN");
  });

  it("answers CONFLICT when the person is already a member", async () => {
    const { owner } = await makeTenant();
    expect(await codeOf((await callerFor({ userId: owner.id })).members.invite({ email: owner.email, role: "viewer" }))).toBe("CONFLICT");
  });
});
