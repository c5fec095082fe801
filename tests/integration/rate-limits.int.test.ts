import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { inject } from "vitest";
import { Redis } from "ioredis";
import { RateLimiter } from "@/server/security/rate-limiter";
import { createDb } from "@/server/db/client";
import { callerFor, makeTenant, testDb } from "../helpers";

describe("rate limits", () => {
  it("enforce one limit across two app instances with Redis (REDIS_URL) too", async () => {
    const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
    const reachable = await probe.connect().then(() => true, () => false);
    probe.disconnect();
    if (!reachable) {
      console.warn(`[rate-limit redis] no Redis at ${redisUrl}: the Redis store was not exercised`);
      return;
    }
    const { tenant } = await makeTenant();
    await testDb().rateLimitSetting.create({ data: { tenantId: tenant.id, operationClass: "submit", perTenant: 120, perPrincipal: 10_000, windowSeconds: 60 } });
    const first = RateLimiter.fromRedis(testDb(), redisUrl);
    const second = RateLimiter.fromRedis(testDb(), redisUrl);
    const decisions = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? first : second).consume(tenant.id, `c${i % 10}`, "submit")));
    const accepted = decisions.filter((d) => d.allowed).length;
    console.log(`[rate-limit redis] limit 120, 500 concurrent calls over 2 instances: ${accepted} accepted`);
    expect(accepted).toBe(120);
  });

  it("enforce one limit across two app instances: a burst of 1,000 concurrent calls accepts exactly the limit", async () => {
    const { tenant } = await makeTenant();
    const url = inject("databaseUrl");
    // Two instances: separate connection pools and limiter objects, one Postgres.
    const dbA = createDb(url, 4);
    const dbB = createDb(url, 4);
    const first = RateLimiter.fromUrl(dbA, url);
    const second = RateLimiter.fromUrl(dbB, url);
    const limit = 250;
    await first.limitsFor(tenant.id); // warm the settings cache like a running server
    await testDb().rateLimitSetting.create({ data: { tenantId: tenant.id, operationClass: "submit", perTenant: limit, perPrincipal: 10_000, windowSeconds: 60 } });
    first.forgetSettings(tenant.id);
    const calls = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? first : second).consume(tenant.id, `client-${i % 40}`, "submit"));
    const decisions = await Promise.all(calls);
    const accepted = decisions.filter((d) => d.allowed).length;
    console.log(`[rate-limit precision] limit ${limit}, 1000 concurrent calls over 2 instances and 40 clients: ${accepted} accepted (${(((accepted - limit) / limit) * 100).toFixed(2)}% from ideal)`);
    expect(accepted).toBeLessThanOrEqual(limit);
    expect(accepted).toBeGreaterThanOrEqual(Math.floor(limit * 0.99));
    await Promise.all([dbA.$disconnect(), dbB.$disconnect()]);
  });

  it("starts a fresh count when a limit changes, so points leased under the old limit do not count against the new one", async () => {
    const { tenant } = await makeTenant();
    const limiter = RateLimiter.fromUrl(testDb(), inject("databaseUrl"));
    // At the default (30,000 per principal) the first call leases 50 points from the shared counter.
    expect((await limiter.consume(tenant.id, "u:someone", "submit")).allowed).toBe(true);
    await testDb().rateLimitSetting.create({ data: { tenantId: tenant.id, operationClass: "submit", perTenant: 1000, perPrincipal: 5, windowSeconds: 300 } });
    limiter.forgetSettings(tenant.id);
    const after = [];
    for (let i = 0; i < 6; i++) after.push((await limiter.consume(tenant.id, "u:someone", "submit")).allowed);
    expect(after).toEqual([true, true, true, true, true, false]);
  });

  it("answers TOO_MANY_REQUESTS past a per-principal limit, counts refusals and audits the first of a window", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.security.setRateLimit({ operationClass: "query", perTenant: 1000, perPrincipal: 4, windowSeconds: 60 });
    // setRateLimit is an admin call; the query budget starts fresh.
    const results: string[] = [];
    for (let i = 0; i < 7; i++) {
      results.push(await api.agents.list({}).then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : "THROWN")));
    }
    expect(results).toEqual(["OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    const overview = await (await callerFor({ userId: owner.id })).security.rateLimits().catch(() => null);
    // The overview itself is a query over the limit; read the counters directly.
    expect(overview).toBeNull();
    const rejections = await testDb().rateLimitRejection.findMany({ where: { tenantId: tenant.id } });
    expect(rejections.map((r) => [r.operationClass, r.count])).toEqual([["query", 4]]);
    const audited = await testDb().auditEvent.findMany({ where: { chainId: tenant.id, action: "security.rate_limited" } });
    expect(audited).toHaveLength(1);
    expect(audited[0]!.summary).toMatchObject({ operationClass: "query", scope: "principal", limit: 4 });
    // Another principal of the same tenant is not affected by this one's limit.
    const other = await api.tokens.create({ name: "other", role: "viewer", scopes: ["*"], expiresInDays: 1 });
    const byToken = await callerFor({ bearer: other.token });
    await expect(byToken.agents.list({})).resolves.toBeDefined();
  });

  it("validates limit settings and keeps them per tenant", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const apiA = await callerFor({ userId: a.owner.id });
    await expect(apiA.security.setRateLimit({ operationClass: "admin", perTenant: 0, perPrincipal: 1, windowSeconds: 60 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await apiA.security.setRateLimit({ operationClass: "admin", perTenant: 77, perPrincipal: 7, windowSeconds: 30 });
    const limitsB = await (await callerFor({ userId: b.owner.id })).security.rateLimits();
    expect(limitsB.limits.find((l) => l.operationClass === "admin")).toMatchObject({ perTenant: 6000, isDefault: true });
    const audit = await apiA.audit.list({ limit: 5, action: "security." });
    expect(audit.items[0]).toMatchObject({ action: "security.rate_limit_changed" });
  });
});

describe("security events", () => {
  it("audits a denied call and an unusable token once per minute, not once per attempt", async () => {
    const { tenant } = await makeTenant();
    const { addUser } = await import("../helpers");
    const viewer = await addUser(tenant.id, "viewer");
    const api = await callerFor({ userId: viewer.id });
    for (let i = 0; i < 5; i++) await expect(api.tokens.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const denied = await testDb().auditEvent.findMany({ where: { chainId: tenant.id, action: "security.access_denied" } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorLabel: viewer.email, summary: { path: "tokens.list", permission: "tokens:read", role: "viewer" } });

    const before = await testDb().auditEvent.count({ where: { chainId: "platform", action: "security.invalid_token" } });
    const forged = await callerFor({ bearer: "arb_abcdefgh_0000000000000000000000000000000000000000000" });
    for (let i = 0; i < 3; i++) await expect(forged.tenant.whoami()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const after = await testDb().auditEvent.count({ where: { chainId: "platform", action: "security.invalid_token" } });
    expect(after - before).toBe(1);
  });
});
