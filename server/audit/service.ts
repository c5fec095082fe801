// Writes and reads the audit log. Every mutation calls `recordAudit` inside its own transaction,
// so the change and its audit entry commit or roll back together.
import type { Db, Prisma } from "@/server/db/client";
import { inTransaction } from "@/server/db/transaction";
import { GENESIS_HASH, PLATFORM_CHAIN, hashMaterialParts, verifyChain, type ChainVerification } from "./chain";

export type Tx = Prisma.TransactionClient;

export interface AuditActor {
  type: "user" | "token" | "system";
  id: string | null;
  label: string;
}

export interface AuditInput {
  tenantId: string | null;
  actor: AuditActor;
  action: string;
  target?: { type: string; id: string };
  /** Before/after summary of the change; never secrets. */
  summary?: Record<string, unknown>;
  requestId?: string | null;
  now?: Date;
}

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, label: "system" };

export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  const chainId = input.tenantId ?? PLATFORM_CHAIN;
  // Millisecond precision, as stored (timestamptz(3)), so the hash can be recomputed.
  const createdAt = new Date((input.now ?? new Date()).getTime());
  const summary = input.summary ?? {};
  const content = {
    chainId,
    tenantId: input.tenantId,
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    summary,
    requestId: input.requestId ?? null,
    createdAt,
  };
  const parts = hashMaterialParts(content);
  // Appends to one chain are serialised for the rest of the transaction, so two writers never
  // both link to the same previous entry. The lock is its own statement: the append that follows
  // then reads the head with a snapshot taken after the lock was granted.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`audit:${chainId}`}, 0))`;
  // The database links the entry to the head and hashes it (sha256 of the same canonical JSON as
  // hashEntry), so appending is one round trip under the lock.
  await tx.$executeRaw`
    WITH head AS (
      SELECT seq, hash FROM audit_events WHERE "chainId" = ${chainId} ORDER BY seq DESC LIMIT 1
    ), link AS (
      SELECT COALESCE((SELECT seq FROM head), 0) + 1 AS seq, COALESCE((SELECT hash FROM head), ${GENESIS_HASH}) AS prev
    )
    INSERT INTO audit_events ("chainId", seq, "tenantId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId",
      summary, "requestId", "createdAt", "prevHash", hash)
    SELECT ${chainId}, link.seq, ${content.tenantId}, ${content.actorType}::"ActorType", ${content.actorId}, ${content.actorLabel}, ${content.action},
      ${content.targetType}, ${content.targetId}, ${JSON.stringify(summary)}::jsonb, ${content.requestId}, ${createdAt}, link.prev,
      encode(sha256(convert_to(${parts.before} || '"' || link.prev || '"' || ${parts.middle} || link.seq::text || ${parts.after}, 'UTF8')), 'hex')
    FROM link`;
}

/** Runs `work` and its audit entry in one transaction. */
export async function withAudit<T>(db: Db, work: (tx: Tx) => Promise<{ result: T; audit: AuditInput }>): Promise<T> {
  return inTransaction(db, async (tx) => {
    const { result, audit } = await work(tx);
    await recordAudit(tx, audit);
    return result;
  });
}

const VERIFY_BATCH = 1000;

export async function verifyAuditChain(db: Db, tenantId: string | null): Promise<ChainVerification> {
  const chainId = tenantId ?? PLATFORM_CHAIN;
  const all = [];
  let afterSeq = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { chainId, seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: VERIFY_BATCH,
    });
    all.push(...batch);
    if (batch.length < VERIFY_BATCH) break;
    afterSeq = batch[batch.length - 1]!.seq;
  }
  return verifyChain(all);
}

export interface AuditQuery {
  tenantId: string;
  action?: string;
  actorLabel?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

export async function listAuditEvents(db: Db, q: AuditQuery) {
  const rows = await db.auditEvent.findMany({
    where: {
      chainId: q.tenantId,
      ...(q.action ? { action: { startsWith: q.action } } : {}),
      ...(q.actorLabel ? { actorLabel: { contains: q.actorLabel, mode: "insensitive" } } : {}),
      ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      ...(q.cursor ? { seq: { lt: Number(q.cursor) } } : {}),
    },
    orderBy: { seq: "desc" },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((e) => ({
      id: e.id.toString(),
      seq: e.seq,
      actorType: e.actorType,
      actorLabel: e.actorLabel,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      summary: e.summary,
      requestId: e.requestId,
      createdAt: e.createdAt,
      hash: e.hash,
    })),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.seq) : null,
  };
}
