// Writes and reads the audit log. Every mutation calls `recordAudit` inside its own transaction,
// so the change and its audit entry commit or roll back together.
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { inTransaction } from "@/server/db/transaction";
import { execute, type SqlDb } from "@/server/db/direct-sql";
import { PLATFORM_CHAIN, hashMaterialParts, verifyChain, type ChainVerification } from "./chain";

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

export async function recordAudit(tx: SqlDb, input: AuditInput): Promise<void> {
  await execute(tx, auditInserts([input]));
}

/**
 * The statement that records audit entries, for callers that fold it into a larger statement (as a
 * data-modifying CTE) to save a round trip. Each entry is linked into its chain when the transaction
 * commits, in the order given: a deferred trigger takes the chain's lock, reads the head, and
 * appends the entries with their sha256 (the same canonical JSON as hashEntry). Appends to one chain
 * are serialised only for the length of a commit, and an entry exists exactly when the change it
 * records does. See the commit_time_counters and commit_time_batches migrations. The entries travel
 * as one JSON parameter (one statement text, one prepared plan, for any count).
 */
export function auditInserts(inputs: readonly AuditInput[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO arbiter_deferred.audit_pending ("chainId", "tenantId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId",
      summary, "requestId", "createdAt", "hashBefore", "hashMiddle", "hashAfter")
    SELECT "chainId", "tenantId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId",
      summary, "requestId", "createdAt", "hashBefore", "hashMiddle", "hashAfter"
    FROM ROWS FROM (json_to_recordset(${JSON.stringify(inputs.map(auditRow))}::json) AS ("chainId" text, "tenantId" text, "actorType" "ActorType",
      "actorId" text, "actorLabel" text, action text, "targetType" text, "targetId" text, summary jsonb, "requestId" text, "createdAt" timestamptz,
      "hashBefore" text, "hashMiddle" text, "hashAfter" text)) WITH ORDINALITY AS e("chainId", "tenantId", "actorType", "actorId", "actorLabel", action,
      "targetType", "targetId", summary, "requestId", "createdAt", "hashBefore", "hashMiddle", "hashAfter", n)
    ORDER BY n`;
}

function auditRow(input: AuditInput) {
  const chainId = input.tenantId ?? PLATFORM_CHAIN;
  // Millisecond precision, as stored (timestamptz(3)), so the hash can be recomputed.
  const createdAt = new Date((input.now ?? new Date()).getTime());
  const content = {
    chainId,
    tenantId: input.tenantId,
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    summary: input.summary ?? {},
    requestId: input.requestId ?? null,
    createdAt,
  };
  const parts = hashMaterialParts(content);
  return { ...content, hashBefore: parts.before, hashMiddle: parts.middle, hashAfter: parts.after };
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
