-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('allow', 'deny', 'needs_waiver');

-- CreateEnum
CREATE TYPE "WaiverStatus" AS ENUM ('proposed', 'active', 'rejected', 'revoked');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TaskStatus" ADD VALUE 'awaiting_waiver';
ALTER TYPE "TaskStatus" ADD VALUE 'denied';

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "change" JSONB,
ADD COLUMN     "constitutionalDecisionId" TEXT,
ADD COLUMN     "specId" TEXT;

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMPTZ(3),
    "activatedById" TEXT,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spec_versions" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "specId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "riskTier" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "warningCount" INTEGER NOT NULL,
    "createdById" TEXT,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spec_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "constitutional_decisions" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "taskId" TEXT,
    "taskType" TEXT NOT NULL,
    "specId" TEXT,
    "verdict" "Verdict" NOT NULL,
    "tier" INTEGER,
    "policyVersionId" TEXT,
    "specVersionId" TEXT,
    "rules" JSONB NOT NULL,
    "failedRules" TEXT[],
    "waiversApplied" JSONB NOT NULL,
    "waiversSkipped" JSONB NOT NULL,
    "appliedWaiverIds" TEXT[],
    "effectiveBudget" JSONB,
    "inputs" JSONB NOT NULL,
    "trigger" TEXT NOT NULL,
    "evaluationMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "constitutional_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waivers" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "gates" TEXT[],
    "deltaFiles" INTEGER,
    "deltaLoc" INTEGER,
    "specId" TEXT,
    "taskType" TEXT,
    "reasonCode" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "mitigation" TEXT NOT NULL,
    "status" "WaiverStatus" NOT NULL DEFAULT 'proposed',
    "requiredApprovals" INTEGER NOT NULL,
    "requestedById" TEXT,
    "requestedByLabel" TEXT NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "revokeReason" TEXT,
    "taskId" TEXT,

    CONSTRAINT "waivers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waiver_approvals" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "waiverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userLabel" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "waiver_approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_budgets" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "tasksPerDay" INTEGER,
    "costUnitsPerMonth" DOUBLE PRECISION,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_budgets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_usage" (
    "tenantId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "tasks" INTEGER NOT NULL DEFAULT 0,
    "cost" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "budget_usage_pkey" PRIMARY KEY ("tenantId","taskType","day")
);

-- CreateTable
CREATE TABLE "budget_events" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "budgetId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "periodStart" DATE NOT NULL,
    "used" DOUBLE PRECISION NOT NULL,
    "limitValue" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "budget_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_versions_tenantId_activatedAt_idx" ON "policy_versions"("tenantId", "activatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_tenantId_version_key" ON "policy_versions"("tenantId", "version");

-- CreateIndex
CREATE INDEX "spec_versions_tenantId_createdAt_idx" ON "spec_versions"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "spec_versions_tenantId_specId_version_key" ON "spec_versions"("tenantId", "specId", "version");

-- CreateIndex
CREATE INDEX "constitutional_decisions_tenantId_createdAt_idx" ON "constitutional_decisions"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "constitutional_decisions_taskId_idx" ON "constitutional_decisions"("taskId");

-- CreateIndex
CREATE INDEX "waivers_tenantId_status_requestedAt_idx" ON "waivers"("tenantId", "status", "requestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "waivers_tenantId_code_key" ON "waivers"("tenantId", "code");

-- CreateIndex
CREATE INDEX "waiver_approvals_tenantId_idx" ON "waiver_approvals"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "waiver_approvals_waiverId_userId_key" ON "waiver_approvals"("waiverId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_budgets_tenantId_taskType_key" ON "tenant_budgets"("tenantId", "taskType");

-- CreateIndex
CREATE INDEX "budget_events_tenantId_createdAt_idx" ON "budget_events"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "budget_events_budgetId_metric_threshold_periodStart_key" ON "budget_events"("budgetId", "metric", "threshold", "periodStart");

-- AddForeignKey
ALTER TABLE "waiver_approvals" ADD CONSTRAINT "waiver_approvals_waiverId_fkey" FOREIGN KEY ("waiverId") REFERENCES "waivers"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for the new tenant tables (see the row_level_security migration).
ALTER TABLE "policy_versions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "policy_versions" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "spec_versions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "spec_versions" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "constitutional_decisions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "constitutional_decisions" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "waivers" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "waivers" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "waiver_approvals" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "waiver_approvals" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "tenant_budgets" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tenant_budgets" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "budget_usage" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "budget_usage" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "budget_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "budget_events" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));

-- Constitutional decisions are an append-only record.
CREATE TRIGGER constitutional_decisions_no_update_delete
  BEFORE UPDATE OR DELETE ON "constitutional_decisions"
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
CREATE TRIGGER constitutional_decisions_no_truncate
  BEFORE TRUNCATE ON "constitutional_decisions"
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();

-- Compliance by construction: a task gets an agent only if its constitutionalDecisionId names an
-- allow decision made for this very task in this tenant. Whatever code path (or hand-written SQL)
-- tries otherwise, the database refuses it.
CREATE FUNCTION tasks_require_allow_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'INSERT' AND (NEW."agentId" IS NOT NULL OR NEW.status IN ('assigned', 'running', 'succeeded', 'failed')))
     OR (TG_OP = 'UPDATE' AND NEW."agentId" IS NOT NULL
         AND (OLD."agentId" IS DISTINCT FROM NEW."agentId" OR (NEW.status = 'assigned' AND OLD.status <> 'assigned')
              OR OLD."constitutionalDecisionId" IS DISTINCT FROM NEW."constitutionalDecisionId")) THEN
    IF NOT EXISTS (
      SELECT 1 FROM constitutional_decisions d
      WHERE d.id = NEW."constitutionalDecisionId" AND d."taskId" = NEW.id AND d."tenantId" = NEW."tenantId" AND d.verdict = 'allow'
    ) THEN
      RAISE EXCEPTION 'task % cannot be assigned without an allow decision', NEW.id USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER tasks_require_allow_decision
  BEFORE INSERT OR UPDATE ON "tasks"
  FOR EACH ROW EXECUTE FUNCTION tasks_require_allow_decision();

-- Budget usage is counted in the transaction that assigns a task or records its cost.
CREATE FUNCTION tasks_count_budget_usage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d date;
BEGIN
  IF NEW.status = 'assigned' AND OLD.status IS DISTINCT FROM 'assigned' THEN
    d := (COALESCE(NEW."assignedAt", now()) AT TIME ZONE 'UTC')::date;
    INSERT INTO budget_usage ("tenantId", "taskType", day, tasks, cost)
      VALUES (NEW."tenantId", '*', d, 1, 0), (NEW."tenantId", NEW.type, d, 1, 0)
      ON CONFLICT ("tenantId", "taskType", day) DO UPDATE SET tasks = budget_usage.tasks + 1;
  END IF;
  IF NEW.cost IS NOT NULL AND OLD.cost IS NULL AND NEW.cost > 0 THEN
    d := (COALESCE(NEW."completedAt", now()) AT TIME ZONE 'UTC')::date;
    INSERT INTO budget_usage ("tenantId", "taskType", day, tasks, cost)
      VALUES (NEW."tenantId", '*', d, 0, NEW.cost), (NEW."tenantId", NEW.type, d, 0, NEW.cost)
      ON CONFLICT ("tenantId", "taskType", day) DO UPDATE SET cost = budget_usage.cost + EXCLUDED.cost;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER tasks_count_budget_usage
  AFTER UPDATE ON "tasks"
  FOR EACH ROW EXECUTE FUNCTION tasks_count_budget_usage();
