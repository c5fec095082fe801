// The local knowledge base: documents stored in Postgres and searched with full-text search
// (websearch syntax, weighted title/body, ranked, highlighted). Works with no network at all.
import type { Db } from "@/server/db/client";
import { withAudit, type AuditActor } from "@/server/audit/service";
import { NotFound } from "@/server/errors";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "./highlight";

export interface KnowledgeCaller {
  actor: AuditActor;
  userId: string | null;
  requestId: string | null;
}

export async function addDocument(
  db: Db,
  caller: KnowledgeCaller,
  tenantId: string,
  input: { title: string; body: string; format: string; sourceUrl?: string },
  now = new Date(),
) {
  return withAudit(db, async (tx) => {
    const doc = await tx.knowledgeDocument.create({
      data: { tenantId, title: input.title, body: input.body, format: input.format, sourceUrl: input.sourceUrl ?? null, createdById: caller.userId, createdAt: now },
    });
    return {
      result: documentView(doc),
      audit: {
        tenantId,
        actor: caller.actor,
        action: "knowledge.document_added",
        target: { type: "knowledge_document", id: doc.id },
        summary: { after: { title: doc.title, sourceUrl: doc.sourceUrl, characters: doc.body.length } },
        requestId: caller.requestId,
        now,
      },
    };
  });
}

export async function removeDocument(db: Db, caller: KnowledgeCaller, tenantId: string, documentId: string, now = new Date()) {
  return withAudit(db, async (tx) => {
    const doc = await tx.knowledgeDocument.findFirst({ where: { id: documentId, tenantId } });
    if (!doc) throw new NotFound("Document not found");
    await tx.knowledgeDocument.delete({ where: { id: doc.id } });
    return {
      result: { id: doc.id },
      audit: {
        tenantId,
        actor: caller.actor,
        action: "knowledge.document_removed",
        target: { type: "knowledge_document", id: doc.id },
        summary: { before: { title: doc.title, sourceUrl: doc.sourceUrl } },
        requestId: caller.requestId,
        now,
      },
    };
  });
}

export async function listDocuments(db: Db, tenantId: string, q: { cursor?: string; limit: number }) {
  const rows = await db.knowledgeDocument.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return { items: page.map(documentView), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

export interface KnowledgeHit {
  documentId: string;
  title: string;
  sourceUrl: string | null;
  rank: number;
  snippet: string;
  createdAt: Date;
}

export async function searchKnowledge(db: Db, tenantId: string, query: string, limit: number): Promise<KnowledgeHit[]> {
  const options = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=" … "`;
  // The document vector is the same expression as the GIN index, so the index serves the match.
  return db.$queryRaw<KnowledgeHit[]>`
    SELECT d.id AS "documentId", d.title, d."sourceUrl", d."createdAt",
           ts_rank_cd(setweight(to_tsvector('english', d.title), 'A') || setweight(to_tsvector('english', d.body), 'B'), q) AS rank,
           ts_headline('english', d.title || E'\n' || d.body, q, ${options}) AS snippet
    FROM knowledge_documents d, websearch_to_tsquery('english', ${query}) q
    WHERE d."tenantId" = ${tenantId}
      AND (setweight(to_tsvector('english', d.title), 'A') || setweight(to_tsvector('english', d.body), 'B')) @@ q
    ORDER BY rank DESC, d."createdAt" DESC
    LIMIT ${limit}`;
}

function documentView(d: { id: string; title: string; body: string; format: string; sourceUrl: string | null; createdAt: Date }) {
  return { id: d.id, title: d.title, format: d.format, sourceUrl: d.sourceUrl, characters: d.body.length, preview: d.body.slice(0, 240), createdAt: d.createdAt };
}
