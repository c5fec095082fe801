// Email + password authentication with throttling and an audit entry for every failure.
import type { Db } from "@/server/db/client";
import { inTransaction } from "@/server/db/transaction";
import { recordAudit } from "@/server/audit/service";
import { decoyPasswordHash, verifyPassword } from "./passwords";
import { clearFailures, lockedForSeconds, recordFailure, type ThrottleKey } from "./sign-in-throttle";

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid_credentials" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export const SIGN_IN_MESSAGES = {
  invalid_credentials: "Wrong email or password.",
  throttled: "Too many failed sign-in attempts. Try again later.",
} as const;

export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string | null; requestId?: string | null },
  now = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const keys: ThrottleKey[] = [{ kind: "email", value: email }];
  if (input.ip) keys.push({ kind: "ip", value: input.ip });

  const retryAfterSeconds = await lockedForSeconds(db, keys, now);
  if (retryAfterSeconds > 0) {
    await auditFailure(db, email, "throttled", input, now);
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }

  const user = await db.user.findUnique({ where: { email } });
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  if (!user || !valid) {
    await recordFailure(db, keys, now);
    await auditFailure(db, email, "invalid_credentials", input, now);
    return { ok: false, reason: "invalid_credentials" };
  }
  await clearFailures(db, { kind: "email", value: email });
  await inTransaction(db, (tx) =>
    recordAudit(tx, {
      tenantId: null,
      actor: { type: "user", id: user.id, label: user.email },
      action: "auth.signed_in",
      summary: { ip: input.ip },
      requestId: input.requestId ?? null,
      now,
    }),
  );
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

async function auditFailure(
  db: Db,
  email: string,
  reason: string,
  input: { ip: string | null; requestId?: string | null },
  now: Date,
) {
  await inTransaction(db, (tx) =>
    recordAudit(tx, {
      tenantId: null,
      actor: { type: "user", id: null, label: email },
      action: "auth.sign_in_failed",
      summary: { reason, ip: input.ip },
      requestId: input.requestId ?? null,
      now,
    }),
  );
}
