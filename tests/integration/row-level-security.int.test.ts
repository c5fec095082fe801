// The second wall: even a query that forgets its tenant filter, run the way tenant procedures run
// (runInTenantScope), sees and changes only the current tenant's rows.
import { describe, expect, it } from "vitest";
import { runInTenantScope } from "@/server/db/tenant-scope";
import { agentInput, callerFor, makeTenant, testDb } from "../helpers";

async function twoTenantsWithData() {
  const a = await makeTenant();
  const b = await makeTenant();
  for (const t of [a, b]) {
    const api = await callerFor({ userId: t.owner.id });
    await api.agents.register(agentInput({ name: "same-name" }));
    await api.tasks.submit({ taskType: "code-review" });
  }
  return { a, b };
}

describe("row-level security", () => {
  it("shows a filterless query only the scoped tenant's rows", async () => {
    const { a, b } = await twoTenantsWithData();
    const seen = await runInTenantScope(testDb(), a.tenant.id, async (tx) => ({
      agents: await tx.agent.findMany({ select: { tenantId: true } }),
      tasks: await tx.$queryRaw<{ tenantId: string }[]>`SELECT "tenantId" FROM tasks`,
      decisions: await tx.routingDecision.count(),
      audit: await tx.auditEvent.findMany({ select: { chainId: true } }),
      tenants: await tx.tenant.findMany({ select: { id: true } }),
      memberships: await tx.membership.count(),
      role: await tx.$queryRaw<{ current_user: string }[]>`SELECT current_user::text AS current_user`,
    }));
    expect(new Set(seen.agents.map((r) => r.tenantId))).toEqual(new Set([a.tenant.id]));
    expect(new Set(seen.tasks.map((r) => r.tenantId))).toEqual(new Set([a.tenant.id]));
    expect(seen.decisions).toBe(1);
    expect(new Set(seen.audit.map((r) => r.chainId))).toEqual(new Set([a.tenant.id]));
    expect(seen.tenants).toEqual([{ id: a.tenant.id }]);
    expect(seen.memberships).toBe(1);
    expect(seen.role[0]!.current_user).toBe("arbiter_app");
    // Outside the scope (system work, as the owner) both tenants are there.
    expect(await testDb().agent.count({ where: { tenantId: { in: [a.tenant.id, b.tenant.id] } } })).toBe(2);
  });

  it("refuses to write another tenant's rows, and changes none of them", async () => {
    const { a, b } = await twoTenantsWithData();
    const bAgent = await testDb().agent.findFirstOrThrow({ where: { tenantId: b.tenant.id } });
    await expect(
      runInTenantScope(testDb(), a.tenant.id, (tx) => tx.agent.create({ data: { ...agentInput({ name: "planted" }), capabilities: undefined, tenantId: b.tenant.id } })),
    ).rejects.toThrow();
    const updated = await runInTenantScope(testDb(), a.tenant.id, (tx) => tx.agent.updateMany({ where: { id: bAgent.id }, data: { status: "offline" } }));
    expect(updated.count).toBe(0);
    const deleted = await runInTenantScope(testDb(), a.tenant.id, (tx) => tx.$executeRaw`DELETE FROM tasks`);
    expect(await testDb().task.count({ where: { tenantId: b.tenant.id } })).toBe(1);
    expect(deleted).toBe(1); // only A's own task
    expect((await testDb().agent.findUniqueOrThrow({ where: { id: bAgent.id } })).status).toBe("available");
  });

  it("covers every table that holds tenant data", async () => {
    const rows = await testDb().$queryRaw<{ table: string; rls: boolean }[]>`
      SELECT c.relname::text AS table, c.relrowsecurity AS rls
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('tenantId', 'chainId') AND NOT a.attisdropped)
             OR c.relname = 'tenants')`;
    const unprotected = rows.filter((r) => !r.rls).map((r) => r.table);
    expect(unprotected).toEqual([]);
    console.log(`[rls] ${rows.length} tenant-owned tables, all with row-level security`);
  });
});
