-- CreateTable
CREATE TABLE "knowledge_documents" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "format" TEXT NOT NULL DEFAULT 'text',
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_documents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "knowledge_documents_tenantId_createdAt_idx" ON "knowledge_documents"("tenantId", "createdAt");


-- Full-text search: weighted title (A) and body (B), English configuration.
CREATE INDEX "knowledge_documents_search_idx" ON "knowledge_documents" USING GIN (
  (setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', "body"), 'B'))
);

ALTER TABLE "knowledge_documents" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "knowledge_documents" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
