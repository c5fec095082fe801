-- CreateTable
CREATE TABLE "research_settings" (
    "tenantId" TEXT NOT NULL,
    "chain" TEXT[],
    "fanOut" INTEGER NOT NULL DEFAULT 0,
    "cacheTtlSeconds" INTEGER,
    "allowDomains" TEXT[],
    "denyDomains" TEXT[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "research_settings_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "provider_credentials" (
    "tenantId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "endpoint" TEXT,
    "engineId" TEXT,
    "secretEncrypted" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_credentials_pkey" PRIMARY KEY ("tenantId","provider")
);


ALTER TABLE "research_settings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "research_settings" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "provider_credentials" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "provider_credentials" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
