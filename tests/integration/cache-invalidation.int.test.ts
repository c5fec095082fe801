// Caches of other server processes hear of changes through Postgres (server/db/cache-invalidation.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import pg from "pg";
import { makeTenant, testDb } from "../helpers";
import { SYSTEM_ACTOR } from "@/server/audit/service";
import { onInvalidation, startCacheInvalidationListener } from "@/server/db/cache-invalidation";
import { createApiToken, resolveApiToken } from "@/server/tokens/service";

/** Another server process: its own connection, announcing as cache-invalidation.ts does. */
async function announceFromElsewhere(payload: string) {
  const other = new pg.Client({ connectionString: inject("databaseUrl") });
  await other.connect();
  await other.query("SELECT pg_notify('arbiter_cache_invalidation', $1)", [payload]);
  await other.end();
}

const heard = (keys: string[], key: string) =>
  new Promise<void>((resolve, reject) => {
    const until = Date.now() + 5_000;
    const poll = () => (keys.includes(key) ? resolve() : Date.now() > until ? reject(new Error(`never heard ${key}`)) : setTimeout(poll, 10));
    poll();
  });

describe("cache invalidation across processes", () => {
  let stop: () => Promise<void>;
  const tokenKeys: string[] = [];
  beforeAll(async () => {
    onInvalidation("token", (key) => tokenKeys.push(key));
    stop = await startCacheInvalidationListener(inject("databaseUrl"));
  });
  afterAll(async () => stop());

  it("starts afresh when it (re)connects, and hears another process's announcements", async () => {
    expect(tokenKeys).toContain("*");
    await announceFromElsewhere("token:tok_123");
    await heard(tokenKeys, "tok_123");
    await announceFromElsewhere("not-a-topic:x"); // ignored, not thrown
  });

  it("stops serving a token that another process revoked at once, not when the 5 s cache entry expires", async () => {
    const { tenant, owner } = await makeTenant();
    const { token, apiToken } = await createApiToken(
      testDb(),
      { actor: SYSTEM_ACTOR, role: "owner", userId: owner.id, requestId: null },
      { tenantId: tenant.id, name: "ci", role: "operator", scopes: ["*"], expiresAt: null },
    );
    expect(await resolveApiToken(testDb(), token)).not.toBeNull(); // now cached in this process
    // The other process revokes it: its database write, then its announcement.
    await testDb().apiToken.update({ where: { id: apiToken.id }, data: { revokedAt: new Date() } });
    await announceFromElsewhere(`token:${apiToken.id}`);
    await heard(tokenKeys, apiToken.id);
    expect(await resolveApiToken(testDb(), token)).toBeNull();
  });
});
