// Security events (denied access, unusable API tokens) into the audit log. An attacker repeating
// the same attempt must not be able to flood the hash chain, so each distinct event is recorded at
// most once per minute per process.
import type { Db } from "@/server/db/client";
import { inTransaction } from "@/server/db/transaction";
import { recordAudit, type AuditActor } from "@/server/audit/service";

const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;
const lastRecorded = new Map<string, number>();

function firstInWindow(key: string, now: number): boolean {
  const last = lastRecorded.get(key);
  if (last !== undefined && now - last < WINDOW_MS) return false;
  if (lastRecorded.size >= MAX_KEYS) lastRecorded.clear();
  lastRecorded.set(key, now);
  return true;
}

export async function recordSecurityEvent(
  db: Db,
  event: { tenantId: string | null; actor: AuditActor; action: "security.access_denied" | "security.invalid_token"; summary: Record<string, unknown>; requestId: string; dedupeKey: string },
  now = new Date(),
): Promise<boolean> {
  if (!firstInWindow(`${event.action}|${event.dedupeKey}`, now.getTime())) return false;
  await inTransaction(db, (tx) =>
    recordAudit(tx, { tenantId: event.tenantId, actor: event.actor, action: event.action, summary: event.summary, requestId: event.requestId, now }),
  );
  return true;
}
