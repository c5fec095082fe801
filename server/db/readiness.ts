// Readiness: the database answers and every committed migration is applied.
import type { Db } from "./client";
import { pendingMigrations } from "./migrate";

export type Readiness =
  | { ready: true; database: "ok"; pendingMigrations: []; latencyMs: number }
  | { ready: false; database: "ok" | "unreachable"; pendingMigrations: string[]; error?: string };

export async function checkReadiness(db: Db): Promise<Readiness> {
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
  } catch {
    return { ready: false, database: "unreachable", pendingMigrations: [], error: "database did not answer" };
  }
  const pending = await pendingMigrations(db).catch(() => ["(migration table missing)"]);
  if (pending.length > 0) return { ready: false, database: "ok", pendingMigrations: pending };
  return { ready: true, database: "ok", pendingMigrations: [], latencyMs: Math.round(performance.now() - started) };
}
