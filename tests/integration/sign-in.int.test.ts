import { describe, expect, it } from "vitest";
import { authenticate } from "@/server/auth/sign-in";
import { MAX_FAILURES } from "@/server/auth/sign-in-throttle";
import { PASSWORD, makeTenant, testDb } from "../helpers";

describe("sign-in", () => {
  it("accepts the right password and rejects a wrong one with an audit entry", async () => {
    const db = testDb();
    const { owner } = await makeTenant();
    const ok = await authenticate(db, { email: owner.email.toUpperCase(), password: PASSWORD, ip: "10.0.0.1" });
    expect(ok).toMatchObject({ ok: true, user: { email: owner.email } });
    const wrong = await authenticate(db, { email: owner.email, password: "wrong-password-1", ip: "10.0.0.1" });
    expect(wrong).toEqual({ ok: false, reason: "invalid_credentials" });
    const failures = await db.auditEvent.count({ where: { chainId: "platform", action: "auth.sign_in_failed", actorLabel: owner.email } });
    expect(failures).toBe(1);
  });

  it("locks an account after repeated failures, even for the right password, and says for how long", async () => {
    const db = testDb();
    const { owner } = await makeTenant();
    const now = new Date();
    for (let i = 0; i < MAX_FAILURES.email; i++) {
      await authenticate(db, { email: owner.email, password: `wrong-${i}-password`, ip: null }, now);
    }
    const locked = await authenticate(db, { email: owner.email, password: PASSWORD, ip: null }, now);
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    expect(locked.ok === false && locked.reason === "throttled" && locked.retryAfterSeconds).toBeGreaterThan(800);
    // After the lock ends, the right password works again.
    const later = new Date(now.getTime() + 16 * 60_000);
    expect(await authenticate(db, { email: owner.email, password: PASSWORD, ip: null }, later)).toMatchObject({ ok: true });
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const result = await authenticate(testDb(), { email: "nobody@example.test", password: "whatever-password", ip: null });
    expect(result).toEqual({ ok: false, reason: "invalid_credentials" });
  });
});
