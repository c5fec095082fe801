// Throttles repeated sign-in failures per account and per client address. Counters live in
// Postgres (shared by every app instance) and are updated atomically in SQL.
import type { Db } from "@/server/db/client";

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
export const MAX_FAILURES = { email: 5, ip: 50 } as const;

export type ThrottleKey = { kind: keyof typeof MAX_FAILURES; value: string };

const keyOf = (k: ThrottleKey) => `${k.kind}:${k.value.toLowerCase()}`;

/** Seconds until the earliest lock on any of these keys ends, or 0 when none is locked. */
export async function lockedForSeconds(db: Db, keys: ThrottleKey[], now: Date): Promise<number> {
  const rows = await db.signInThrottle.findMany({
    where: { key: { in: keys.map(keyOf) }, lockedUntil: { gt: now } },
    select: { lockedUntil: true },
  });
  const latest = Math.max(0, ...rows.map((r) => r.lockedUntil!.getTime()));
  return latest > now.getTime() ? Math.ceil((latest - now.getTime()) / 1000) : 0;
}

export async function recordFailure(db: Db, keys: ThrottleKey[], now: Date): Promise<void> {
  const windowCutoff = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const lockUntil = new Date(now.getTime() + LOCK_MS);
  for (const k of keys) {
    const key = keyOf(k);
    // One statement: a new window starts when the old one has passed; the lock is set on the
    // failure that reaches the limit. Concurrent failures each count.
    await db.$executeRaw`
      INSERT INTO sign_in_throttle (key, failures, "windowStart") VALUES (${key}, 1, ${now})
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN sign_in_throttle."windowStart" < ${windowCutoff} THEN 1 ELSE sign_in_throttle.failures + 1 END,
        "windowStart" = CASE WHEN sign_in_throttle."windowStart" < ${windowCutoff} THEN ${now} ELSE sign_in_throttle."windowStart" END,
        "lockedUntil" = CASE
          WHEN sign_in_throttle."windowStart" >= ${windowCutoff} AND sign_in_throttle.failures + 1 >= ${MAX_FAILURES[k.kind]}
          THEN ${lockUntil} ELSE sign_in_throttle."lockedUntil" END`;
  }
}

export async function clearFailures(db: Db, key: ThrottleKey): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: keyOf(key) } });
}
