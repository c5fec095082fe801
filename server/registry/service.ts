// The agent registry: register, update, status, heartbeat, unregister, read, and the capability
// query. Operator changes are audited in the same transaction.
import type { Db } from "@/server/db/client";
import type { DbSource } from "@/server/db/tenant-scope";
import { inTransaction } from "@/server/db/transaction";
import { Prisma } from "@/server/db/generated/client";
import { withAudit, recordAudit, SYSTEM_ACTOR, type AuditActor, type Tx } from "@/server/audit/service";
import { Conflict, NotFound } from "@/server/errors";
import { effectivePolicy } from "@/server/routing/policy-service";
import { candidateReason, invalidatePools, loadPoolCached, sortPool } from "./candidate-pool";
import type { AgentStatus, CapabilityQuery, RegisterAgentInput, UpdateAgentInput } from "./schemas";

export interface RegistryCaller {
  actor: AuditActor;
  requestId: string | null;
}

type CapabilityInput = RegisterAgentInput["capabilities"];

function capabilityRows(agentId: string, tenantId: string, caps: CapabilityInput) {
  return [
    ...caps.taskTypes.map((c) => ({ kind: "task_type" as const, ...c })),
    ...caps.languages.map((c) => ({ kind: "language" as const, ...c })),
    ...caps.specializations.map((c) => ({ kind: "specialization" as const, ...c })),
  ].map((c) => ({ agentId, tenantId, kind: c.kind, name: c.name, proficiency: c.proficiency ?? null }));
}

const agentInclude = { capabilities: true } as const;

export async function registerAgent(db: Db, caller: RegistryCaller, tenantId: string, input: RegisterAgentInput, now = new Date()) {
  const result = await withAudit(db, async (tx) => {
    const existing = await tx.agent.findUnique({ where: { tenantId_name: { tenantId, name: input.name } } });
    if (existing) {
      throw new Conflict(
        existing.unregisteredAt ? `An unregistered agent keeps the name "${input.name}"` : `An agent named "${input.name}" exists already`,
        { name: ["Already taken in this tenant"] },
      );
    }
    const agent = await tx.agent.create({
      data: {
        tenantId,
        name: input.name,
        modelFamily: input.modelFamily,
        maxConcurrentTasks: input.maxConcurrentTasks,
        status: input.status,
        tags: input.tags,
        registeredAt: now,
        lastSeenAt: now,
      },
    });
    await tx.agentCapability.createMany({ data: capabilityRows(agent.id, tenantId, input.capabilities) });
    return {
      result: await tx.agent.findUniqueOrThrow({ where: { id: agent.id }, include: agentInclude }),
      audit: {
        tenantId,
        actor: caller.actor,
        action: "agent.registered",
        target: { type: "agent", id: agent.id },
        summary: { after: { ...input } },
        requestId: caller.requestId,
        now,
      },
    };
  }).catch(uniqueViolationAsConflict(input.name));
  invalidatePools(tenantId);
  return result;
}

/** Two concurrent registrations of one name: the database's unique index decides, as a CONFLICT. */
function uniqueViolationAsConflict(name: string) {
  return (error: unknown): never => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new Conflict(`An agent named "${name}" exists already`, { name: ["Already taken in this tenant"] });
    }
    throw error;
  };
}

async function lockAgent(tx: Tx, tenantId: string, agentId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM agents WHERE id = ${agentId} AND "tenantId" = ${tenantId} AND "unregisteredAt" IS NULL FOR UPDATE`;
  if (rows.length === 0) throw new NotFound("Agent not found");
  return tx.agent.findUniqueOrThrow({ where: { id: agentId }, include: agentInclude });
}

export async function updateAgent(db: Db, caller: RegistryCaller, tenantId: string, input: UpdateAgentInput, now = new Date()) {
  const { agentId, capabilities, ...fields } = input;
  const result = await withAudit(db, async (tx) => {
    const before = await lockAgent(tx, tenantId, agentId);
    if (fields.name && fields.name !== before.name && (await tx.agent.findUnique({ where: { tenantId_name: { tenantId, name: fields.name } } }))) {
      throw new Conflict(`An agent named "${fields.name}" exists already`, { name: ["Already taken in this tenant"] });
    }
    await tx.agent.update({ where: { id: agentId }, data: fields });
    if (capabilities) {
      await tx.agentCapability.deleteMany({ where: { agentId } });
      await tx.agentCapability.createMany({ data: capabilityRows(agentId, tenantId, capabilities) });
    }
    const after = await tx.agent.findUniqueOrThrow({ where: { id: agentId }, include: agentInclude });
    return {
      result: after,
      audit: {
        tenantId,
        actor: caller.actor,
        action: "agent.updated",
        target: { type: "agent", id: agentId },
        summary: { before: agentSummary(before), after: agentSummary(after) },
        requestId: caller.requestId,
        now,
      },
    };
  }).catch(uniqueViolationAsConflict(fields.name ?? ""));
  invalidatePools(tenantId);
  return result;
}

export async function setAgentStatus(db: Db, caller: RegistryCaller, tenantId: string, agentId: string, status: AgentStatus, now = new Date()) {
  const result = await withAudit(db, async (tx) => {
    const before = await lockAgent(tx, tenantId, agentId);
    const after = await tx.agent.update({ where: { id: agentId }, data: { status }, include: agentInclude });
    return {
      result: after,
      audit: {
        tenantId,
        actor: caller.actor,
        action: "agent.status_changed",
        target: { type: "agent", id: agentId },
        summary: { before: { status: before.status }, after: { status } },
        requestId: caller.requestId,
        now,
      },
    };
  });
  invalidatePools(tenantId);
  return result;
}

/** An agent reports it is alive. One that had been marked offline for silence comes back. */
export async function heartbeat(db: Db, caller: RegistryCaller, tenantId: string, agentId: string, now = new Date()) {
  const rows = await db.$queryRaw<{ status: AgentStatus; was: AgentStatus }[]>`
    UPDATE agents a SET "lastSeenAt" = ${now},
      status = CASE WHEN a.status = 'offline' THEN 'available'::"AgentStatus" ELSE a.status END
    FROM (SELECT id, status FROM agents WHERE id = ${agentId} AND "tenantId" = ${tenantId} AND "unregisteredAt" IS NULL FOR UPDATE) old
    WHERE a.id = old.id
    RETURNING a.status, old.status AS was`;
  const row = rows[0];
  if (!row) throw new NotFound("Agent not found");
  if (row.was !== row.status) {
    invalidatePools(tenantId);
    await inTransaction(db, (tx) =>
      recordAudit(tx, {
        tenantId,
        actor: caller.actor,
        action: "agent.status_changed",
        target: { type: "agent", id: agentId },
        summary: { before: { status: row.was }, after: { status: row.status }, cause: "heartbeat" },
        requestId: caller.requestId,
        now,
      }),
    );
  }
  return { status: row.status, lastSeenAt: now };
}

export async function unregisterAgent(db: Db, caller: RegistryCaller, tenantId: string, agentId: string, now = new Date()) {
  const result = await withAudit(db, async (tx) => {
    const before = await lockAgent(tx, tenantId, agentId);
    await tx.agent.update({ where: { id: agentId }, data: { unregisteredAt: now, status: "offline" } });
    return {
      result: { id: agentId },
      audit: {
        tenantId,
        actor: caller.actor,
        action: "agent.unregistered",
        target: { type: "agent", id: agentId },
        summary: { before: agentSummary(before) },
        requestId: caller.requestId,
        now,
      },
    };
  });
  invalidatePools(tenantId);
  return result;
}

/**
 * Marks agents offline whose heartbeat is older than their tenant's timeout. Never deletes.
 * Run periodically by the server (see server/db/bootstrap.ts); each change is audited.
 */
export async function markSilentAgentsOffline(db: Db, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const changed = await tx.$queryRaw<{ id: string; tenantId: string; name: string; was: string; lastSeenAt: Date }[]>`
      UPDATE agents a SET status = 'offline'
      FROM (
        SELECT ag.id, ag.status::text AS was FROM agents ag
        LEFT JOIN routing_policies p ON p."tenantId" = ag."tenantId" AND p."taskType" = '*'
        WHERE ag."unregisteredAt" IS NULL AND ag.status IN ('available', 'busy')
          AND ag."lastSeenAt" < ${now}::timestamptz - make_interval(secs => COALESCE(p."heartbeatTimeoutSeconds", 120))
        FOR UPDATE OF ag SKIP LOCKED
      ) stale
      WHERE a.id = stale.id
      RETURNING a.id, a."tenantId", a.name, stale.was, a."lastSeenAt"`;
    for (const agent of changed) {
      await recordAudit(tx, {
        tenantId: agent.tenantId,
        actor: SYSTEM_ACTOR,
        action: "agent.status_changed",
        target: { type: "agent", id: agent.id },
        summary: { before: { status: agent.was }, after: { status: "offline" }, cause: "no heartbeat", lastSeenAt: agent.lastSeenAt },
        now,
      });
    }
    for (const tenantId of new Set(changed.map((a) => a.tenantId))) invalidatePools(tenantId);
    return changed.length;
  });
}

type AgentWithCaps = Prisma.AgentGetPayload<{ include: typeof agentInclude }>;

function agentSummary(a: AgentWithCaps) {
  return {
    name: a.name,
    modelFamily: a.modelFamily,
    maxConcurrentTasks: a.maxConcurrentTasks,
    status: a.status,
    tags: a.tags,
    capabilities: a.capabilities.map((c) => `${c.kind}:${c.name}${c.proficiency === null ? "" : `@${c.proficiency}`}`),
  };
}

export function agentView(a: AgentWithCaps) {
  const pick = (kind: string) =>
    a.capabilities.filter((c) => c.kind === kind).map((c) => ({ name: c.name, proficiency: c.proficiency }));
  return {
    id: a.id,
    name: a.name,
    modelFamily: a.modelFamily,
    status: a.status,
    maxConcurrentTasks: a.maxConcurrentTasks,
    activeTasks: a.activeTasks,
    utilization: a.activeTasks / a.maxConcurrentTasks,
    tags: a.tags,
    registeredAt: a.registeredAt,
    lastSeenAt: a.lastSeenAt,
    unregisteredAt: a.unregisteredAt,
    capabilities: { taskTypes: pick("task_type"), languages: pick("language"), specializations: pick("specialization") },
  };
}

/** Served from the process's 1 s pool cache when it can; `source` is asked for the database only
 *  on a miss (the tRPC procedure passes a scope that opens the tenant transaction on demand). */
export async function capabilityQuery(source: DbSource, tenantId: string, q: CapabilityQuery, now = new Date()) {
  const policy = await effectivePolicy(source, tenantId, q.taskType);
  const { agents, registered } = await loadPoolCached(source, tenantId, q.taskType);
  const { candidates, excluded } = sortPool(agents, q, policy.heartbeatTimeoutSeconds, now);
  return {
    total: candidates.length,
    matches: candidates
      .sort((a, b) => b.match - a.match || a.utilization - b.utilization)
      .slice(0, q.limit)
      .map((c) => ({
        agentId: c.agent.id,
        name: c.agent.name,
        matchScore: c.match,
        utilization: c.utilization,
        successRate: c.successRate,
        reason: candidateReason(c),
      })),
    excludedCount: excluded.length,
    excluded: excluded.slice(0, q.excludedLimit),
    notCapableCount: registered - agents.length,
  };
}
