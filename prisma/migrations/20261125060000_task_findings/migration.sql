-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "researchStatus" TEXT;

-- CreateTable
CREATE TABLE "task_findings" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "snippet" TEXT NOT NULL,
    "quality" TEXT NOT NULL,
    "retrievedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_findings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "task_findings_taskId_rank_idx" ON "task_findings"("taskId", "rank");


ALTER TABLE "task_findings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "task_findings" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
