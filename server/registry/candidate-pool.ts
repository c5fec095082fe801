// Loads every registered agent of a tenant that declares a task type, with its capabilities, its
// performance on that type and its bandit arm, in one query (and refreshes such a pool); then sorts them into candidates and
// exclusions with their reasons. Shared by the capability query and the router.
import { Prisma } from "@/server/db/generated/client";
import { queryRows, type SqlDb } from "@/server/db/direct-sql";
import { withDb, type DbSource, type SqlScope } from "@/server/db/tenant-scope";
import { logger } from "@/server/observability/logger";
import { invalidate, onInvalidation } from "@/server/db/cache-invalidation";
import { matchCapabilities, type AgentCapabilities, type MatchResult, type Requirement } from "@/server/routing/capability";
import type { ArmEvidence } from "@/server/routing/bandit";

export interface PoolAgent {
  id: string;
  name: string;
  status: string;
  maxConcurrentTasks: number;
  activeTasks: number;
  lastSeenAt: Date;
  tasks: number;
  successes: number;
  capabilities: AgentCapabilities;
  arm: ArmEvidence;
}

export interface Candidate {
  agent: PoolAgent;
  match: number;
  utilization: number;
  successRate: number | null;
  /** Why its capabilities fit; candidateReason() adds load and record (built only when shown). */
  fit: string;
}

/** The full reason a candidate qualifies, for the capability query's answer. */
export function candidateReason(c: Candidate): string {
  const { activeTasks, maxConcurrentTasks } = c.agent;
  return `${c.fit}; load ${activeTasks}/${maxConcurrentTasks}${c.successRate === null ? "; no outcomes yet" : `; success ${(c.successRate * 100).toFixed(0)}%`}`;
}

export type ExclusionKind = "capability" | "capacity" | "status" | "heartbeat" | "performance";

export interface Exclusion {
  agentId: string;
  name: string;
  kind: ExclusionKind;
  reason: string;
}

export interface PoolFilters extends Requirement {
  maxUtilization: number;
  minSuccessRate: number;
}

/** What changes as agents work: read again at every refresh (refreshPool). */
interface AgentStateRow {
  id: string;
  status: string;
  maxConcurrentTasks: number;
  activeTasks: number;
  lastSeenAt: Date;
  tasks: number | null;
  successes: number | null;
  pulls: number | null;
  rewardSum: number | null;
  pending: number | null;
  armUpdatedAt: Date | null;
}

/** What changes only through the registry, which announces it (invalidatePools): read at a full load. */
interface PoolRow extends AgentStateRow {
  name: string;
  caps: [string, string, number | null][];
  registered: bigint;
}

export interface Pool {
  agents: PoolAgent[];
  /** The same agents by id, for applying one agent's change to a cached pool. */
  byId: Map<string, PoolAgent>;
  /** Registered agents of the tenant, capable of the type or not. */
  registered: number;
}

export async function loadPool(db: SqlDb, tenantId: string, taskType: string): Promise<Pool> {
  const rows = await queryRows<PoolRow[]>(db, Prisma.sql`
    SELECT a.id, a.name, a.status::text AS status, a."maxConcurrentTasks", a."activeTasks", a."lastSeenAt",
           (SELECT json_agg(json_build_array(c.kind, c.name, c.proficiency)) FROM agent_capabilities c WHERE c."agentId" = a.id) AS caps,
           p.tasks, p.successes, b.pulls, b."rewardSum", b.pending, b."updatedAt" AS "armUpdatedAt",
           (SELECT count(*) FROM agents r WHERE r."tenantId" = ${tenantId} AND r."unregisteredAt" IS NULL) AS registered
    FROM agent_capabilities t
    JOIN agents a ON a.id = t."agentId" AND a."unregisteredAt" IS NULL
    LEFT JOIN agent_performance p ON p."agentId" = a.id AND p."taskType" = ${taskType}
    LEFT JOIN bandit_arms b ON b."agentId" = a.id AND b."taskType" = ${taskType}
    WHERE t."tenantId" = ${tenantId} AND t.kind = 'task_type' AND t.name = ${taskType}`);
  const registered = rows.length > 0 ? Number(rows[0]!.registered) : 0;
  const agents = rows.map((r): PoolAgent => {
    const capabilities: AgentCapabilities = { taskTypes: {}, languages: {}, specializations: {} };
    for (const [kind, name, proficiency] of r.caps ?? []) {
      const bag = kind === "task_type" ? capabilities.taskTypes : kind === "language" ? capabilities.languages : capabilities.specializations;
      bag[name] = proficiency;
    }
    return withState({ id: r.id, name: r.name, capabilities }, r);
  });
  return { registered, agents, byId: new Map(agents.map((a) => [a.id, a])) };
}

function withState({ id, name, capabilities }: Pick<PoolAgent, "id" | "name" | "capabilities">, r: AgentStateRow): PoolAgent {
  return {
    id,
    name,
    status: r.status,
    maxConcurrentTasks: r.maxConcurrentTasks,
    activeTasks: r.activeTasks,
    lastSeenAt: r.lastSeenAt,
    tasks: r.tasks ?? 0,
    successes: r.successes ?? 0,
    capabilities,
    arm: { pulls: r.pulls ?? 0, rewardSum: r.rewardSum ?? 0, pending: r.pending ?? 0, updatedAt: r.armUpdatedAt ?? new Date(0) },
  };
}

/**
 * The pool with what changes as agents work read again (status, load, heartbeat, record, arm) and
 * the rest kept: which agents it holds, their names and capabilities. Those change only through
 * the registry, which drops the cached pools (invalidatePools). The capabilities are most of a
 * full load's cost (one aggregate per agent; bench:routing, 328 agents: 11 ms against 4 ms).
 * When an agent of the pool has left (unregistered behind this process's back) it loads in full.
 */
export async function refreshPool(db: SqlDb, tenantId: string, taskType: string, pool: Pool): Promise<Pool> {
  if (pool.agents.length === 0) return loadPool(db, tenantId, taskType);
  const rows = await queryRows<AgentStateRow[]>(db, Prisma.sql`
    SELECT a.id, a.status::text AS status, a."maxConcurrentTasks", a."activeTasks", a."lastSeenAt",
           p.tasks, p.successes, b.pulls, b."rewardSum", b.pending, b."updatedAt" AS "armUpdatedAt"
    FROM agents a
    LEFT JOIN agent_performance p ON p."agentId" = a.id AND p."taskType" = ${taskType}
    LEFT JOIN bandit_arms b ON b."agentId" = a.id AND b."taskType" = ${taskType}
    WHERE a.id = ANY(${pool.agents.map((a) => a.id)}::text[]) AND a."tenantId" = ${tenantId} AND a."unregisteredAt" IS NULL`);
  const states = new Map(rows.map((r) => [r.id, r]));
  if (states.size !== pool.agents.length) return loadPool(db, tenantId, taskType);
  const agents = pool.agents.map((a) => withState(a, states.get(a.id)!));
  // Same agents, same capabilities, same order: the capability matches worked out so far still hold.
  const known = matches.get(pool.agents);
  if (known) matches.set(agents, known);
  return { registered: pool.registered, agents, byId: new Map(agents.map((a) => [a.id, a])) };
}

// ---------------------------------------------------------------------------------------------
// A per-process read-through cache of pools. Routing reads a pool at most POOL_TTL_MS old and
// applies its own assignments and outcomes to it at once, so decisions in one process never
// repeat a stale choice; other instances' assignments and outcomes arrive within the TTL (a
// stale pool is refreshed: refreshPool), their registry changes as soon as they are announced.
// Correctness does not depend on it: capacity and "assigned once" are enforced by the assignment
// SQL, and a lost race makes the router choose again.
// ---------------------------------------------------------------------------------------------

export const POOL_TTL_MS = 1_000;
/** A stale pool is refreshed (refreshPool), and loaded in full once this old: the bound on how long
 *  a registry change whose announcement this process missed can go unseen. */
export const POOL_FULL_LOAD_MS = 30_000;
interface CachedPool {
  at: number;
  loadedAt: number;
  value: Promise<Pool>;
  /** The pool once `value` has resolved: changes apply to it at once, without waiting on the promise. */
  ready?: Pool;
  /** While the pool is read again behind its readers (refreshBehind): the changes applied to it
   *  meanwhile, which the new pool gets too. */
  refreshing?: ((pool: Pool) => void)[];
}
/** Per tenant, per task type. */
const pools = new Map<string, Map<string, CachedPool>>();

/**
 * The tenant's pool of agents that take `taskType`, from the cache when it is fresh. A stale one is
 * read again through `source`, and its readers wait for it; given `behind` (a transaction of its
 * own), a stale pool that has loaded is served as it is while `behind` reads it again. Routing
 * passes one: a batch of submissions then does not wait, inside its transaction, on the refresh
 * that each task type's pool needs every POOL_TTL_MS (bench:routing: the slowest batches).
 */
export function loadPoolCached(source: DbSource, tenantId: string, taskType: string, nowMs = Date.now(), behind?: SqlScope) {
  let ofTenant = pools.get(tenantId);
  if (!ofTenant) pools.set(tenantId, (ofTenant = new Map()));
  const hit = ofTenant.get(taskType);
  if (hit && nowMs - hit.at < POOL_TTL_MS) return hit.value;
  const full = !hit || nowMs - hit.loadedAt >= POOL_FULL_LOAD_MS;
  if (hit?.ready && behind) {
    if (!hit.refreshing) refreshBehind(tenantId, taskType, hit, hit.ready, full, nowMs, behind);
    return hit.value;
  }
  const value = full
    ? withDb(source, (db) => loadPool(db, tenantId, taskType))
    : hit.value.then((pool) => withDb(source, (db) => refreshPool(db, tenantId, taskType, pool)));
  const entry: CachedPool = { at: nowMs, loadedAt: full ? nowMs : hit.loadedAt, value };
  ofTenant.set(taskType, entry);
  value.then(
    (pool) => {
      entry.ready = pool;
    },
    () => {
      if (pools.get(tenantId)?.get(taskType) === entry) pools.get(tenantId)!.delete(taskType);
    },
  );
  return value;
}

/**
 * Reads a stale pool again in `scope` while readers keep the stale one, then puts the new one in
 * its place with the changes applied to the stale one meanwhile (this process's assignments and
 * outcomes, noted before their transactions commit, so the read cannot have seen them). Dropped if
 * the pool was invalidated meanwhile; on an error the pool is dropped, and the next read loads it
 * as its reader's own (where the error surfaces).
 */
function refreshBehind(tenantId: string, taskType: string, stale: CachedPool, pool: Pool, full: boolean, nowMs: number, scope: SqlScope) {
  const changes: ((pool: Pool) => void)[] = [];
  stale.refreshing = changes;
  scope((db) => (full ? loadPool(db, tenantId, taskType) : refreshPool(db, tenantId, taskType, pool))).then(
    (fresh) => {
      stale.refreshing = undefined;
      const ofTenant = pools.get(tenantId);
      if (ofTenant?.get(taskType) !== stale) return;
      for (const change of changes) change(fresh);
      ofTenant.set(taskType, { at: nowMs, loadedAt: full ? nowMs : stale.loadedAt, value: Promise.resolve(fresh), ready: fresh });
    },
    (error: unknown) => {
      stale.refreshing = undefined;
      logger.warn({ err: error, tenantId, taskType }, "refreshing a cached agent pool failed; the next read loads it");
      if (pools.get(tenantId)?.get(taskType) === stale) pools.get(tenantId)!.delete(taskType);
    },
  );
}

/** Registry changes (status, capabilities, capacity, new agents) are seen at once in this process,
 *  and in the other server processes as soon as they hear of it (cache-invalidation.ts). */
export function invalidatePools(tenantId: string) {
  invalidate("pools", tenantId);
}

onInvalidation("pools", (tenantId) => {
  if (tenantId === "*") pools.clear();
  else pools.delete(tenantId);
});

/**
 * Applies a change to one agent in every cached pool of its tenant that holds it: at once in the
 * pools already loaded (routing notes every assignment and outcome here, so this stays free of
 * promise round trips), after the load in those still loading (the result then settles after it).
 */
export function adjustCachedAgent(tenantId: string, agentId: string, change: (agent: PoolAgent, taskType: string) => void): Promise<void> | undefined {
  let loading: Promise<unknown>[] | undefined;
  for (const [taskType, entry] of pools.get(tenantId) ?? []) {
    const apply = (pool: Pool) => {
      const agent = pool.byId.get(agentId);
      if (agent) change(agent, taskType);
    };
    if (entry.ready) {
      apply(entry.ready);
      entry.refreshing?.push(apply);
    } else (loading ??= []).push(entry.value.then(apply, () => undefined));
  }
  return loading && Promise.all(loading).then(() => undefined);
}

// Agents' capabilities do not change within a pool snapshot (a registry change loads a new one), so
// how the snapshot's agents match a requirement is worked out once per snapshot and requirement, as
// one array in agent order: every routing decision and capability query otherwise matched all
// capable agents again (and one lookup per decision is cheaper than one per agent).
const matches = new WeakMap<readonly PoolAgent[], Map<string, MatchResult[]>>();
const keyOf = (r: Requirement) => `${r.taskType}\u0000${r.languages.join(",")}\u0000${r.specializations.join(",")}\u0000${r.minProficiency}`;

function matchesOf(agents: readonly PoolAgent[], requirement: Requirement): MatchResult[] {
  let byRequirement = matches.get(agents);
  if (!byRequirement) matches.set(agents, (byRequirement = new Map()));
  const key = keyOf(requirement);
  let m = byRequirement.get(key);
  if (!m) {
    // Bounded: a snapshot sees few distinct requirements before it is reloaded, but a caller could vary them.
    if (byRequirement.size >= 256) byRequirement.clear();
    byRequirement.set(key, (m = agents.map((a) => matchCapabilities(a.capabilities, requirement))));
  }
  return m;
}

/**
 * Pure: which pool agents can take the task now, and why each other one cannot. `snapshot` is the
 * cached pool that `agents` were derived from one to one, in the same order (a batch's view with its
 * earlier assignments added, a new array each time): capability matches are remembered per snapshot.
 */
export function sortPool(
  agents: readonly PoolAgent[],
  filters: PoolFilters,
  heartbeatTimeoutSeconds: number,
  now: Date,
  snapshot: readonly PoolAgent[] = agents,
): { candidates: Candidate[]; excluded: Exclusion[] } {
  const candidates: Candidate[] = [];
  const excluded: Exclusion[] = [];
  const exclude = (a: PoolAgent, kind: ExclusionKind, reason: string) => excluded.push({ agentId: a.id, name: a.name, kind, reason });
  const matched = matchesOf(snapshot.length === agents.length ? snapshot : agents, filters);
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[i]!;
    if (agent.status !== "available") {
      exclude(agent, "status", `status ${agent.status}`);
      continue;
    }
    const silentFor = (now.getTime() - agent.lastSeenAt.getTime()) / 1000;
    if (silentFor > heartbeatTimeoutSeconds) {
      exclude(agent, "heartbeat", `no heartbeat for ${Math.round(silentFor)} s`);
      continue;
    }
    const m = matched[i]!;
    if (!m.fits) {
      exclude(agent, "capability", m.reason);
      continue;
    }
    const utilization = agent.activeTasks / agent.maxConcurrentTasks;
    if (agent.activeTasks >= agent.maxConcurrentTasks) {
      exclude(agent, "capacity", `at capacity ${agent.activeTasks}/${agent.maxConcurrentTasks}`);
      continue;
    }
    if (utilization > filters.maxUtilization) {
      exclude(agent, "capacity", `utilization ${utilization.toFixed(2)} > ${filters.maxUtilization}`);
      continue;
    }
    const successRate = agent.tasks > 0 ? agent.successes / agent.tasks : null;
    if (successRate !== null && successRate < filters.minSuccessRate) {
      exclude(agent, "performance", `success rate ${successRate.toFixed(2)} < ${filters.minSuccessRate}`);
      continue;
    }
    candidates.push({ agent, match: m.match, utilization, successRate, fit: m.reason });
  }
  return { candidates, excluded };
}
