// Test helpers that build data through the same services users call.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDb, type RootDb } from "@/server/db/client";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { inviteMember, acceptInvitation } from "@/server/tenancy/members";
import type { Role } from "@/server/auth/permissions";
import { RateLimiter } from "@/server/security/rate-limiter";

let shared: RootDb | undefined;
export function testDb(): RootDb {
  shared ??= createDb(inject("databaseUrl"), 10);
  return shared;
}

let sharedLimiter: RateLimiter | undefined;
export function testRateLimiter(): RateLimiter {
  sharedLimiter ??= RateLimiter.fromUrl(testDb(), inject("databaseUrl"));
  return sharedLimiter;
}

export const PASSWORD = "correct-horse-battery";

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export async function makeTenant(db = testDb()) {
  const slug = unique("t");
  const email = `${unique("owner")}@example.test`;
  const { tenant, user } = await createTenantWithOwner(db, {
    tenantName: `Tenant ${slug}`,
    tenantSlug: slug,
    email,
    name: "Owner",
    password: PASSWORD,
  });
  return { tenant, owner: user };
}

/** Adds a new user with `role` to the tenant, through the invitation flow. */
export async function addUser(tenantId: string, role: Role, db = testDb()) {
  const email = `${unique(role)}@example.test`;
  const invited = await inviteMember(db, { actor: { type: "system", id: null, label: "test" }, userId: null, requestId: null }, { tenantId, email, role });
  if (!invited.inviteToken) throw new Error("expected an invitation");
  await acceptInvitation(db, { token: invited.inviteToken, name: role, password: PASSWORD, requestId: null });
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { id: user.id, email };
}

/** A tRPC caller acting as a signed-in user (optionally with a selected tenant) or with a bearer token. */
export async function callerFor(opts: { userId?: string; bearer?: string; tenantSlug?: string } = {}, db = testDb()) {
  const headers = new Headers();
  if (opts.bearer) headers.set("authorization", `Bearer ${opts.bearer}`);
  if (opts.tenantSlug) headers.set("x-arbiter-tenant", opts.tenantSlug);
  return createCaller(await createContext({ db, headers, sessionUserId: opts.userId ?? null, rateLimiter: testRateLimiter() }));
}

export interface AgentSpec {
  name?: string;
  taskTypes?: { name: string; proficiency?: number | null }[];
  languages?: { name: string; proficiency?: number | null }[];
  specializations?: { name: string; proficiency?: number | null }[];
  maxConcurrentTasks?: number;
  tags?: string[];
}

export function agentInput(spec: AgentSpec = {}) {
  return {
    name: spec.name ?? unique("agent"),
    modelFamily: "claude-sonnet-4",
    capabilities: {
      taskTypes: spec.taskTypes ?? [{ name: "code-review", proficiency: 0.9 }],
      languages: spec.languages ?? [],
      specializations: spec.specializations ?? [],
    },
    maxConcurrentTasks: spec.maxConcurrentTasks ?? 5,
    tags: spec.tags ?? [],
  };
}

export { PASSING_EVIDENCE, changeOf, specYaml } from "./fixtures/caws-documents";
