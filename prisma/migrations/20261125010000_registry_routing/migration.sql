-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('available', 'busy', 'draining', 'offline', 'maintenance');

-- CreateEnum
CREATE TYPE "CapabilityKind" AS ENUM ('task_type', 'language', 'specialization');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('submitted', 'routed', 'assigned', 'running', 'succeeded', 'failed', 'cancelled', 'rejected');

-- CreateEnum
CREATE TYPE "RoutingStrategy" AS ENUM ('ucb1', 'thompson', 'epsilon_greedy', 'capability_match');

-- CreateEnum
CREATE TYPE "NoCandidateAction" AS ENUM ('wait', 'reject');

-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "modelFamily" TEXT NOT NULL,
    "maxConcurrentTasks" INTEGER NOT NULL,
    "activeTasks" INTEGER NOT NULL DEFAULT 0,
    "status" "AgentStatus" NOT NULL DEFAULT 'available',
    "tags" TEXT[],
    "registeredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unregisteredAt" TIMESTAMPTZ(3),

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_capabilities" (
    "agentId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "kind" "CapabilityKind" NOT NULL,
    "name" TEXT NOT NULL,
    "proficiency" DOUBLE PRECISION,

    CONSTRAINT "agent_capabilities_pkey" PRIMARY KEY ("agentId","kind","name")
);

-- CreateTable
CREATE TABLE "agent_performance" (
    "agentId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "tasks" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "qualitySum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "qualityCount" INTEGER NOT NULL DEFAULT 0,
    "latencyBuckets" INTEGER[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_performance_pkey" PRIMARY KEY ("agentId","taskType")
);

-- CreateTable
CREATE TABLE "bandit_arms" (
    "tenantId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "pulls" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rewardSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bandit_arms_pkey" PRIMARY KEY ("agentId","taskType")
);

-- CreateTable
CREATE TABLE "routing_policies" (
    "tenantId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "strategy" "RoutingStrategy",
    "explorationConstant" DOUBLE PRECISION,
    "epsilon" DOUBLE PRECISION,
    "epsilonDecay" DOUBLE PRECISION,
    "qualityWeighted" BOOLEAN,
    "loadPenalty" DOUBLE PRECISION,
    "decayHalfLifeHours" DOUBLE PRECISION,
    "noCandidateAction" "NoCandidateAction",
    "heartbeatTimeoutSeconds" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routing_policies_pkey" PRIMARY KEY ("tenantId","taskType")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "requiredLanguages" TEXT[],
    "requiredSpecializations" TEXT[],
    "minProficiency" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "payload" JSONB NOT NULL,
    "deadline" TIMESTAMPTZ(3),
    "status" "TaskStatus" NOT NULL DEFAULT 'submitted',
    "statusReason" TEXT,
    "agentId" TEXT,
    "decisionId" TEXT,
    "progress" DOUBLE PRECISION,
    "progressMessage" TEXT,
    "success" BOOLEAN,
    "quality" DOUBLE PRECISION,
    "latencyMs" INTEGER,
    "cost" DOUBLE PRECISION,
    "tokens" INTEGER,
    "error" TEXT,
    "submittedById" TEXT,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "routedAt" TIMESTAMPTZ(3),
    "assignedAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routing_decisions" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "strategy" "RoutingStrategy" NOT NULL,
    "policy" JSONB NOT NULL,
    "chosenAgentId" TEXT,
    "result" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "explored" BOOLEAN NOT NULL,
    "selectionProbability" DOUBLE PRECISION,
    "candidates" JSONB NOT NULL,
    "excluded" JSONB NOT NULL,
    "notCapableCount" INTEGER NOT NULL,
    "decisionMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "routing_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routing_stats_hourly" (
    "tenantId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "decisions" INTEGER NOT NULL DEFAULT 0,
    "explored" INTEGER NOT NULL DEFAULT 0,
    "assigned" INTEGER NOT NULL DEFAULT 0,
    "waiting" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "decisionMsSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latencyBuckets" INTEGER[],
    "outcomes" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "rewardSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "qualitySum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "qualityCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "routing_stats_hourly_pkey" PRIMARY KEY ("tenantId","hour","taskType","agentId")
);

-- CreateIndex
CREATE INDEX "agents_tenantId_status_idx" ON "agents"("tenantId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "agents_tenantId_name_key" ON "agents"("tenantId", "name");

-- CreateIndex
CREATE INDEX "agent_capabilities_tenantId_kind_name_idx" ON "agent_capabilities"("tenantId", "kind", "name");

-- CreateIndex
CREATE INDEX "agent_performance_tenantId_idx" ON "agent_performance"("tenantId");

-- CreateIndex
CREATE INDEX "bandit_arms_tenantId_taskType_idx" ON "bandit_arms"("tenantId", "taskType");

-- CreateIndex
CREATE INDEX "tasks_tenantId_submittedAt_idx" ON "tasks"("tenantId", "submittedAt");

-- CreateIndex
CREATE INDEX "tasks_tenantId_status_priority_idx" ON "tasks"("tenantId", "status", "priority");

-- CreateIndex
CREATE INDEX "tasks_agentId_submittedAt_idx" ON "tasks"("agentId", "submittedAt");

-- CreateIndex
CREATE INDEX "routing_decisions_tenantId_createdAt_idx" ON "routing_decisions"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "routing_decisions_taskId_idx" ON "routing_decisions"("taskId");

-- AddForeignKey
ALTER TABLE "agent_capabilities" ADD CONSTRAINT "agent_capabilities_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Routing decisions are an append-only record.
CREATE FUNCTION append_only_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER routing_decisions_no_update_delete
  BEFORE UPDATE OR DELETE ON "routing_decisions"
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();

CREATE TRIGGER routing_decisions_no_truncate
  BEFORE TRUNCATE ON "routing_decisions"
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();

