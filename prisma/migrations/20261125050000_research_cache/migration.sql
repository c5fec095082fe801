-- CreateTable
CREATE TABLE "research_cache" (
    "tenantId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "provider" TEXT,
    "results" JSONB NOT NULL,
    "trail" JSONB NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "research_cache_pkey" PRIMARY KEY ("tenantId","key")
);


ALTER TABLE "research_cache" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "research_cache" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
