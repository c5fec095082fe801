import { describe, expect, it } from "vitest";
import { recordAudit, verifyAuditChain, SYSTEM_ACTOR } from "@/server/audit/service";
import { makeTenant, testDb } from "../helpers";

describe("audit log", () => {
  it("chains every tenant's entries and verifies them", async () => {
    const db = testDb();
    const { tenant } = await makeTenant();
    for (let i = 0; i < 3; i++) {
      await db.$transaction((tx) => recordAudit(tx, { tenantId: tenant.id, actor: SYSTEM_ACTOR, action: "test.event", summary: { i } }));
    }
    const result = await verifyAuditChain(db, tenant.id);
    // tenant.created + 3
    expect(result).toMatchObject({ ok: true, entries: 4 });
  });

  it("keeps one unbroken chain under 40 concurrent writers", async () => {
    const db = testDb();
    const { tenant } = await makeTenant();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.$transaction((tx) => recordAudit(tx, { tenantId: tenant.id, actor: SYSTEM_ACTOR, action: "test.concurrent", summary: { i } })),
      ),
    );
    const seqs = (await db.auditEvent.findMany({ where: { chainId: tenant.id }, select: { seq: true } })).map((r) => r.seq);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(await verifyAuditChain(db, tenant.id)).toMatchObject({ ok: true, entries: 41 });
  });

  it("links an entry into the chain only when its transaction commits", async () => {
    const db = testDb();
    const { tenant } = await makeTenant();
    const seen = await db.$transaction(async (tx) => {
      await recordAudit(tx, { tenantId: tenant.id, actor: SYSTEM_ACTOR, action: "test.committed" });
      return tx.auditEvent.count({ where: { chainId: tenant.id, action: "test.committed" } });
    });
    expect(seen).toBe(0);
    expect(await db.auditEvent.count({ where: { chainId: tenant.id, action: "test.committed" } })).toBe(1);
    await expect(
      db.$transaction(async (tx) => {
        await recordAudit(tx, { tenantId: tenant.id, actor: SYSTEM_ACTOR, action: "test.rolled_back" });
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    expect(await db.auditEvent.count({ where: { chainId: tenant.id, action: "test.rolled_back" } })).toBe(0);
    expect(await verifyAuditChain(db, tenant.id)).toMatchObject({ ok: true, entries: 2 });
  });

  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    const db = testDb();
    const { tenant } = await makeTenant();
    await expect(db.$executeRaw`UPDATE audit_events SET action = 'x' WHERE "chainId" = ${tenant.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM audit_events WHERE "chainId" = ${tenant.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`TRUNCATE audit_events`).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.count({ where: { chainId: tenant.id } })).toBe(1);
  });

  it("reports where a chain was tampered with by someone who bypassed the triggers", async () => {
    const db = testDb();
    const { tenant } = await makeTenant();
    await db.$transaction((tx) => recordAudit(tx, { tenantId: tenant.id, actor: SYSTEM_ACTOR, action: "test.a" }));
    await db.$transaction((tx) => recordAudit(tx, { tenantId: tenant.id, actor: SYSTEM_ACTOR, action: "test.b" }));
    // A superuser can switch the triggers off; the hash chain still exposes the edit.
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`;
      await tx.$executeRaw`UPDATE audit_events SET "actorLabel" = 'mallory' WHERE "chainId" = ${tenant.id} AND seq = 2`;
      await tx.$executeRaw`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`;
    });
    expect(await verifyAuditChain(db, tenant.id)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });
});
