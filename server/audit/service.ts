// Writes and reads the audit log. Every mutation calls `recordAudit` inside its own transaction,
// so the change and its audit entry commit or roll back together.
import type { Db, Prisma } from "@/server/db/client";
import { inTransaction } from "@/server/db/transaction";
import { GENESIS_HASH, PLATFORM_CHAIN, hashEntry, verifyChain, type ChainVerification } from "./chain";

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

export async function recordAudit(tx: Tx, input: AuditInput) {
  const chainId = input.tenantId ?? PLATFORM_CHAIN;
  // Appends to one chain are serialised for the rest of the transaction, so two writers never
  // both link to the same previous entry.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`audit:${chainId}`}, 0))`;
  const head = await tx.auditEvent.findFirst({
    where: { chainId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const content = {
    chainId,
    seq: (head?.seq ?? 0) + 1,
    tenantId: input.tenantId,
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    summary: (input.summary ?? {}) as Prisma.InputJsonValue,
    requestId: input.requestId ?? null,
    // Millisecond precision, as stored (timestamptz(3)), so the hash can be recomputed.
    createdAt: new Date((input.now ?? new Date()).getTime()),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return tx.auditEvent.create({ data: { ...content, hash: hashEntry(content) } });
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
