// The audit log's hash chain: each entry's hash covers its own content and the previous entry's
// hash, so changing, removing or reordering any entry breaks every hash after it. Pure: no I/O.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);
export const PLATFORM_CHAIN = "platform";

export interface ChainedContent {
  chainId: string;
  seq: number;
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  summary: unknown;
  requestId: string | null;
  createdAt: Date;
  prevHash: string;
}

export interface ChainedEntry extends ChainedContent {
  hash: string;
}

/** JSON with object keys sorted at every depth, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function hashEntry(content: ChainedContent): string {
  const material = canonicalJson({
    chainId: content.chainId,
    seq: content.seq,
    tenantId: content.tenantId,
    actorType: content.actorType,
    actorId: content.actorId,
    actorLabel: content.actorLabel,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    summary: content.summary,
    requestId: content.requestId,
    createdAt: content.createdAt.toISOString(),
    prevHash: content.prevHash,
  });
  return createHash("sha256").update(material).digest("hex");
}

const PREV_MARKER = "\u0001prevHash\u0001";
const SEQ_MARKER = "\u0001seq\u0001";

/**
 * The hash material of an entry whose seq and prevHash are not known yet, in three parts such that
 * material = before + JSON(prevHash) + middle + String(seq) + after. It lets the database compute the
 * hash (sha256 of the material) in the statement that appends the entry after the chain's head.
 */
export function hashMaterialParts(content: Omit<ChainedContent, "seq" | "prevHash">): { before: string; middle: string; after: string } {
  const material = canonicalJson({
    ...content,
    createdAt: content.createdAt.toISOString(),
    prevHash: PREV_MARKER,
    seq: SEQ_MARKER,
  });
  const [before, rest] = material.split(JSON.stringify(PREV_MARKER)) as [string, string];
  const [middle, after] = rest.split(JSON.stringify(SEQ_MARKER)) as [string, string];
  return { before, middle, after };
}

export type ChainVerification =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; brokenAtSeq: number; reason: string };

/** Verifies entries of one chain, given in ascending `seq` order starting at 1. */
export function verifyChain(entries: readonly ChainedEntry[]): ChainVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return { ok: false, entries: entries.length, brokenAtSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
    }
    if (entry.prevHash !== prevHash) {
      return { ok: false, entries: entries.length, brokenAtSeq: entry.seq, reason: "previous-hash link does not match" };
    }
    if (hashEntry(entry) !== entry.hash) {
      return { ok: false, entries: entries.length, brokenAtSeq: entry.seq, reason: "content does not match its hash" };
    }
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: entries.length, headHash: prevHash };
}
