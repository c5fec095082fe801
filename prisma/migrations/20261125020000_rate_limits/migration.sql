-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "rate_limit_settings" (
    "tenantId" TEXT NOT NULL,
    "operationClass" TEXT NOT NULL,
    "perTenant" INTEGER NOT NULL,
    "perPrincipal" INTEGER NOT NULL,
    "windowSeconds" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rate_limit_settings_pkey" PRIMARY KEY ("tenantId","operationClass")
);

-- CreateTable
CREATE TABLE "rate_limit_rejections" (
    "tenantId" TEXT NOT NULL,
    "operationClass" TEXT NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_rejections_pkey" PRIMARY KEY ("tenantId","operationClass","day")
);

