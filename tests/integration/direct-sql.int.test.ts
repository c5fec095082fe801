import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDb, type Tx } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { runInDirectTenantScope, runInTenantScope } from "@/server/db/tenant-scope";
import { execute, queryRows, runsDirect } from "@/server/db/direct-sql";
import { makeTenant, testDb } from "../helpers";

const probe = (at: Date) => Prisma.sql`
  SELECT txid_current() AS txid, current_setting('arbiter.tenant_id') AS tenant, current_user::text AS role,
         count(*) OVER () AS n, '2026-11-25 10:00:00.123'::timestamp AS ts, ${at}::timestamp AS param_ts,
         '2026-11-25'::date AS day, '{"a": [1, "b"]}'::jsonb AS doc, 1.5::float8 AS f, ARRAY['x', 'y'] AS list, NULL::text AS nothing,
         substring(${Buffer.from([0, 1, 2, 255, 4])}::bytea FROM 2 FOR 3) AS bytes`;

describe("direct SQL in the tenant transaction", () => {
  it("runs on the transaction's own connection, under its tenant and role", async () => {
    const { tenant } = await makeTenant();
    expect(runsDirect(testDb())).toBe(false);
    await runInTenantScope(testDb(), tenant.id, async (tx) => {
      expect(runsDirect(tx)).toBe(true);
      const at = new Date("2026-11-25T08:30:00.000Z");
      const [direct] = await queryRows<Record<string, unknown>[]>(tx, probe(at));
      const [viaPrisma] = await tx.$queryRaw<Record<string, unknown>[]>(probe(at));
      // Same transaction, and values typed exactly as Prisma types them (bigint, UTC Dates, JSON).
      expect(direct).toEqual(viaPrisma);
      expect([...(direct!.bytes as Uint8Array)]).toEqual([1, 2, 255]);
      expect(direct).toMatchObject({ tenant: tenant.id, role: "arbiter_app", n: 1n, param_ts: at, ts: new Date("2026-11-25T10:00:00.123Z"), day: new Date("2026-11-25T00:00:00Z") });
    });
  });

  it("commits and rolls back with the transaction", async () => {
    const { tenant } = await makeTenant();
    const insert = (tx: Tx, operationClass: string) =>
      execute(tx, Prisma.sql`INSERT INTO rate_limit_settings ("tenantId", "operationClass", "perTenant", "perPrincipal", "windowSeconds") VALUES (${tenant.id}, ${operationClass}, 10, 5, 60)`);
    await runInTenantScope(testDb(), tenant.id, async (tx) => expect(await insert(tx, "admin")).toBe(1));
    await expect(
      runInTenantScope(testDb(), tenant.id, async (tx) => {
        await insert(tx, "query");
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");
    const rows = await testDb().rateLimitSetting.findMany({ where: { tenantId: tenant.id } });
    expect(rows.map((r) => r.operationClass)).toEqual(["admin"]);
  });

  it("runs a direct tenant transaction without Prisma: tenant, role and row-level security for that transaction only, committed or rolled back whole", async () => {
    // One connection, so every transaction below runs on the same one.
    const db = createDb(inject("databaseUrl"), 1);
    try {
      const { tenant } = await makeTenant();
      const other = await makeTenant();
      const setting = (tenantId: string, operationClass: string) =>
        Prisma.sql`INSERT INTO rate_limit_settings ("tenantId", "operationClass", "perTenant", "perPrincipal", "windowSeconds") VALUES (${tenantId}, ${operationClass}, 10, 5, 60)`;
      await db.$executeRaw(setting(other.tenant.id, "admin"));

      const [seen] = await runInDirectTenantScope(db, tenant.id, async (tx) => {
        expect(runsDirect(tx)).toBe(true);
        await execute(tx, setting(tenant.id, "admin"));
        return queryRows<{ tenant: string; role: string; settings: bigint; timeout: string }[]>(
          tx,
          Prisma.sql`SELECT current_setting('arbiter.tenant_id') AS tenant, current_user::text AS role, (SELECT count(*) FROM rate_limit_settings) AS settings,
            current_setting('statement_timeout') AS timeout`,
        );
      });
      // The other tenant's row is there but not visible under row-level security.
      expect(seen).toEqual({ tenant: tenant.id, role: "arbiter_app", settings: 1n, timeout: "30s" });
      await expect(runInDirectTenantScope(db, tenant.id, (tx) => execute(tx, setting(other.tenant.id, "query")))).rejects.toThrow(/row-level security/);

      await expect(
        runInDirectTenantScope(db, tenant.id, async (tx) => {
          await execute(tx, setting(tenant.id, "query"));
          throw new Error("abandon");
        }),
      ).rejects.toThrow("abandon");
      const rows = await db.rateLimitSetting.findMany({ where: { tenantId: tenant.id } });
      expect(rows.map((r) => r.operationClass)).toEqual(["admin"]);
      // The tenant id travels as an escaped literal (BEGIN and the settings are one simple query).
      const odd = "x'); DROP TABLE tenants; --";
      const [echoed] = await runInDirectTenantScope(db, odd, (tx) => queryRows<{ tenant: string }[]>(tx, Prisma.sql`SELECT current_setting('arbiter.tenant_id') AS tenant`));
      expect(echoed).toEqual({ tenant: odd });
      expect(await db.tenant.count()).toBeGreaterThan(0);
      // The connection went back to the pool as it came: no tenant, the login role.
      const [after] = await db.$queryRaw<{ tenant: string | null; role: string }[]>`SELECT current_setting('arbiter.tenant_id', true) AS tenant, current_user::text AS role`;
      expect(after!.role).toBe("postgres");
      expect(after!.tenant ?? "").toBe("");
    } finally {
      await db.$disconnect();
    }
  });

  it("goes through Prisma when the connection is not ours (DATABASE_PREPARED_STATEMENTS=off)", async () => {
    process.env.DATABASE_PREPARED_STATEMENTS = "off";
    const plain = createDb(inject("databaseUrl"), 2);
    delete process.env.DATABASE_PREPARED_STATEMENTS;
    try {
      const { tenant } = await makeTenant();
      const [row] = await runInTenantScope(plain, tenant.id, async (tx) => {
        expect(runsDirect(tx)).toBe(false);
        // Bytes as a parameter too (packed decision records travel so), sliced in SQL as the assignment does.
        return queryRows<{ tenant: string; slice: Uint8Array }[]>(
          tx,
          Prisma.sql`SELECT current_setting('arbiter.tenant_id') AS tenant, substring(${Buffer.from([0, 1, 2, 255, 4])}::bytea FROM 2 FOR 3) AS slice`,
        );
      });
      expect(row!.tenant).toBe(tenant.id);
      expect([...row!.slice]).toEqual([1, 2, 255]);
    } finally {
      await plain.$disconnect();
    }
  });
});

