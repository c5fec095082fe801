import { describe, expect, it, vi } from "vitest";
import pg from "pg";

const originalQuery = pg.Client.prototype.query;
import { TRPCError } from "@trpc/server";
import { agentInput, callerFor, makeTenant, testDb } from "../helpers";
import { heartbeat, markSilentAgentsOffline } from "@/server/registry/service";
import { adjustCachedAgent, invalidatePools, loadPoolCached, POOL_FULL_LOAD_MS, POOL_TTL_MS } from "@/server/registry/candidate-pool";
import { runInDirectTenantScope, runInTenantScope, type DbSource, type SqlScope } from "@/server/db/tenant-scope";
import { SYSTEM_ACTOR } from "@/server/audit/service";

const errorOf = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as TRPCError);

describe("agent registry", () => {
  it("registers an agent with capabilities, audited, and answers CONFLICT to a duplicate name without a second row", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const agent = await api.agents.register(agentInput({ name: "reviewer-1", languages: [{ name: "typescript", proficiency: 0.8 }] }));
    expect(agent).toMatchObject({ name: "reviewer-1", status: "available", maxConcurrentTasks: 5, activeTasks: 0 });
    expect(agent.capabilities.languages).toEqual([{ name: "typescript", proficiency: 0.8 }]);
    const dup = await errorOf(api.agents.register(agentInput({ name: "reviewer-1" })));
    expect(dup).toMatchObject({ code: "CONFLICT" });
    expect(await testDb().agent.count({ where: { tenantId: tenant.id } })).toBe(1);
    const audit = await api.audit.list({ limit: 5, action: "agent." });
    expect(audit.items.map((e) => e.action)).toEqual(["agent.registered"]);
  });

  it("rejects invalid registrations with field messages and writes nothing", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const bad = { ...agentInput(), name: "", maxConcurrentTasks: 0, capabilities: { taskTypes: [], languages: [{ name: "ts", proficiency: 2 }], specializations: [] } };
    const error = await errorOf(api.agents.register(bad));
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const paths = ((error as TRPCError).cause as unknown as { issues: { path: (string | number)[] }[] }).issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["name", "maxConcurrentTasks", "capabilities.taskTypes", "capabilities.languages.0.proficiency"]));
    expect(await testDb().agent.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("lets viewers read but not register, and hides other tenants' agents", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const agent = await (await callerFor({ userId: a.owner.id })).agents.register(agentInput());
    const other = await callerFor({ userId: b.owner.id });
    expect(await errorOf(other.agents.get({ agentId: agent.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorOf(other.agents.setStatus({ agentId: agent.id, status: "maintenance" }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await other.agents.list({})).items).toEqual([]);
  });

  it("updates capabilities and status, and unregisters softly, keeping history", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const agent = await api.agents.register(agentInput({ name: "a1" }));
    const updated = await api.agents.update({ agentId: agent.id, maxConcurrentTasks: 9, capabilities: { taskTypes: [{ name: "testing" }], languages: [], specializations: [] } });
    expect(updated.maxConcurrentTasks).toBe(9);
    expect(updated.capabilities.taskTypes).toEqual([{ name: "testing", proficiency: null }]);
    expect((await api.agents.setStatus({ agentId: agent.id, status: "draining" })).status).toBe("draining");
    await api.agents.unregister({ agentId: agent.id });
    expect((await api.agents.list({})).items).toEqual([]);
    expect((await api.agents.list({ includeUnregistered: true })).items.map((a) => a.name)).toEqual(["a1"]);
    expect(await testDb().agent.count({ where: { tenantId: tenant.id } })).toBe(1);
    const actions = (await api.audit.list({ limit: 10, action: "agent." })).items.map((e) => e.action);
    expect(actions).toEqual(["agent.unregistered", "agent.status_changed", "agent.updated", "agent.registered"]);
  });

  it("marks agents offline after their heartbeat stops, never deletes them, and a heartbeat brings them back", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.routing.setPolicy({ taskType: "*", heartbeatTimeoutSeconds: 60 });
    const agent = await api.agents.register(agentInput());
    const later = new Date(Date.now() + 5 * 60_000);
    expect(await markSilentAgentsOffline(testDb(), later)).toBeGreaterThanOrEqual(1);
    expect((await api.agents.get({ agentId: agent.id })).agent.status).toBe("offline");
    const back = await heartbeat(testDb(), { actor: SYSTEM_ACTOR, requestId: null }, tenant.id, agent.id, later);
    expect(back.status).toBe("available");
    const actions = (await api.audit.list({ limit: 10, action: "agent.status_changed" })).items.map((e) => (e.summary as { after: { status: string } }).after.status);
    expect(actions).toEqual(["available", "offline"]);
  });

  it("answers the capability query with match scores, reasons and exclusions", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.agents.register(agentInput({ name: "ts-strong", languages: [{ name: "typescript", proficiency: 0.9 }] }));
    await api.agents.register(agentInput({ name: "ts-weak", languages: [{ name: "typescript", proficiency: 0.3 }] }));
    await api.agents.register(agentInput({ name: "py-only", languages: [{ name: "python", proficiency: 1 }] }));
    const maint = await api.agents.register(agentInput({ name: "in-maintenance", languages: [{ name: "typescript" }] }));
    await api.agents.setStatus({ agentId: maint.id, status: "maintenance" });
    await api.agents.register(agentInput({ name: "other-type", taskTypes: [{ name: "research" }] }));

    const r = await api.agents.match({ taskType: "code-review", languages: ["typescript"], minProficiency: 0.5 });
    expect(r.matches.map((m) => m.name)).toEqual(["ts-strong"]);
    expect(r.matches[0]!.matchScore).toBeCloseTo(0.9);
    expect(r.matches[0]!.reason).toContain("language typescript 0.9");
    const why = Object.fromEntries(r.excluded.map((e) => [e.name, e.kind]));
    expect(why).toEqual({ "ts-weak": "capability", "py-only": "capability", "in-maintenance": "status" });
    expect(r.excludedCount).toBe(3);
    const capped = await api.agents.match({ taskType: "code-review", languages: ["typescript"], minProficiency: 0.5, excludedLimit: 1 });
    expect([capped.excluded.length, capped.excludedCount]).toEqual([1, 3]);
    expect(r.notCapableCount).toBe(1);
  });

  it("opens the tenant transaction for the capability query only when the pool is not cached, under the caller's tenant; a hit sends no statement", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const apiA = await callerFor({ userId: a.owner.id });
    const apiB = await callerFor({ userId: b.owner.id });
    await apiA.agents.register(agentInput({ name: "a-only", taskTypes: [{ name: "migration" }] }));
    const statements: string[] = [];
    const query = vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: Parameters<pg.Client["query"]>) {
      const text = args[0] as unknown;
      statements.push(typeof text === "string" ? text : String((text as { text?: string }).text));
      return Reflect.apply(originalQuery, this, args);
    });
    try {
      const q = { taskType: "migration", languages: [], minProficiency: 0 };
      expect((await apiB.agents.match(q)).matches).toEqual([]); // miss: B's own (empty) pool, loaded under B's scope
      const missBegins = statements.filter((t) => t === "BEGIN").length;
      statements.length = 0;
      expect((await apiA.agents.match(q)).matches.map((m) => m.name)).toEqual(["a-only"]);
      statements.length = 0;
      expect((await apiA.agents.match(q)).matches.map((m) => m.name)).toEqual(["a-only"]); // hit
      expect(missBegins).toBeGreaterThan(0);
      // Not even the rate-limit counters: their points come from this instance's lease.
      expect(statements).toEqual([]);
    } finally {
      query.mockRestore();
    }
  });

  it("refreshes a stale cached pool's load and arms without its capabilities, which a full load reads again; an agent gone behind its back means a full load", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const busy = await api.agents.register(agentInput({ name: "busy", taskTypes: [{ name: "pool-refresh", proficiency: 0.9 }] }));
    const idle = await api.agents.register(agentInput({ name: "idle", taskTypes: [{ name: "pool-refresh", proficiency: 0.9 }] }));
    const db = testDb();
    const t0 = Date.now();
    const first = await loadPoolCached(db, tenant.id, "pool-refresh", t0);
    expect(first.agents.map((a) => [a.name, a.activeTasks])).toEqual(expect.arrayContaining([["busy", 0], ["idle", 0]]));

    // Another instance assigns work and records outcomes (no announcement), and changes a
    // capability whose announcement this process misses: plain SQL, as from elsewhere.
    await db.$executeRaw`UPDATE agents SET "activeTasks" = 3 WHERE id = ${busy.id}`;
    await db.$executeRaw`INSERT INTO bandit_arms ("tenantId", "agentId", "taskType", pulls, "rewardSum", pending, "updatedAt") VALUES (${tenant.id}, ${busy.id}, 'pool-refresh', 4, 3, 1, now())`;
    await db.$executeRaw`UPDATE agent_capabilities SET proficiency = 0.2 WHERE "agentId" = ${busy.id} AND name = 'pool-refresh'`;

    expect(await loadPoolCached(db, tenant.id, "pool-refresh", t0 + POOL_TTL_MS - 1)).toBe(first); // fresh: served as it is
    const refreshed = await loadPoolCached(db, tenant.id, "pool-refresh", t0 + POOL_TTL_MS);
    const busyNow = refreshed.byId.get(busy.id)!;
    expect(busyNow).toMatchObject({ activeTasks: 3, arm: { pulls: 4, rewardSum: 3, pending: 1 } });
    expect(busyNow.capabilities.taskTypes).toEqual({ "pool-refresh": 0.9 });
    expect(busyNow.capabilities).toBe(first.byId.get(busy.id)!.capabilities);
    expect(refreshed.agents.map((a) => a.id)).toEqual(first.agents.map((a) => a.id));

    const full = await loadPoolCached(db, tenant.id, "pool-refresh", t0 + POOL_FULL_LOAD_MS);
    expect(full.byId.get(busy.id)!.capabilities.taskTypes).toEqual({ "pool-refresh": 0.2 });

    await db.$executeRaw`UPDATE agents SET "unregisteredAt" = now() WHERE id = ${idle.id}`;
    const afterLeave = await loadPoolCached(db, tenant.id, "pool-refresh", t0 + POOL_FULL_LOAD_MS + POOL_TTL_MS);
    expect(afterLeave.agents.map((a) => a.name)).toEqual(["busy"]);
    expect(afterLeave.registered).toBe(1);
  });

  it("applies this process's own assignments to its cached pools: at once to loaded ones, after the load to one still loading, never to another tenant's", async () => {
    const { tenant, owner } = await makeTenant();
    const other = await makeTenant();
    const worker = await (await callerFor({ userId: owner.id })).agents.register(
      agentInput({ name: "worker", taskTypes: [{ name: "adjust-a", proficiency: 0.9 }, { name: "adjust-b", proficiency: 0.9 }] }),
    );
    const stranger = await (await callerFor({ userId: other.owner.id })).agents.register(agentInput({ name: "stranger", taskTypes: [{ name: "adjust-a", proficiency: 0.9 }] }));
    const db = testDb();
    const loaded = await loadPoolCached(db, tenant.id, "adjust-a");
    const theirs = await loadPoolCached(db, other.tenant.id, "adjust-a");
    const loading = loadPoolCached(db, tenant.id, "adjust-b");
    const addTask = (agent: { activeTasks: number }) => void (agent.activeTasks += 1);

    const settled = adjustCachedAgent(tenant.id, worker.id, addTask);
    expect(loaded.byId.get(worker.id)!.activeTasks).toBe(1); // before anything is awaited
    expect(settled).toBeInstanceOf(Promise);
    await settled;
    expect((await loading).byId.get(worker.id)!.activeTasks).toBe(1);
    expect(adjustCachedAgent(tenant.id, worker.id, addTask)).toBeUndefined(); // both loaded: nothing to wait for
    expect([loaded, await loading].map((p) => p.byId.get(worker.id)!.activeTasks)).toEqual([2, 2]);

    await adjustCachedAgent(tenant.id, stranger.id, addTask);
    expect(theirs.byId.get(stranger.id)!.activeTasks).toBe(0);
  });

  it("given a transaction of its own, serves a stale pool at once and reads it again there, keeps this process's changes made meanwhile, and drops a read overtaken by an invalidation or failed", async () => {
    const { tenant, owner } = await makeTenant();
    const agent = await (await callerFor({ userId: owner.id })).agents.register(agentInput({ name: "behind", taskTypes: [{ name: "pool-behind", proficiency: 0.9 }] }));
    const db = testDb();
    let loads = 0;
    const own: DbSource = (work) => {
      loads += 1;
      return runInTenantScope(db, tenant.id, work);
    };
    const notMine: DbSource = () => Promise.reject(new Error("the reader's transaction was asked for a stale pool"));
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    /** A scope of its own whose read starts when `open` is called. */
    const gated = () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const reads: Promise<unknown>[] = [];
      const scope: SqlScope = (work) => {
        const read = gate.then(() => runInDirectTenantScope(db, tenant.id, work));
        reads.push(read);
        return read;
      };
      return { scope, reads, open: async () => (open(), await Promise.allSettled(reads), await tick()) };
    };
    const t0 = Date.now();
    const first = await loadPoolCached(own, tenant.id, "pool-behind", t0);
    await db.$executeRaw`UPDATE agents SET "activeTasks" = 3 WHERE id = ${agent.id}`; // another instance's assignments

    const behind = gated();
    expect(await loadPoolCached(notMine, tenant.id, "pool-behind", t0 + POOL_TTL_MS, behind.scope)).toBe(first);
    expect(await loadPoolCached(notMine, tenant.id, "pool-behind", t0 + POOL_TTL_MS + 1, behind.scope)).toBe(first);
    expect(behind.reads).toHaveLength(1); // one read at a time
    adjustCachedAgent(tenant.id, agent.id, (a) => void (a.activeTasks += 1)); // this process assigns meanwhile
    await behind.open();
    const fresh = await loadPoolCached(notMine, tenant.id, "pool-behind", t0 + POOL_TTL_MS + 2, behind.scope);
    expect(fresh).not.toBe(first);
    expect(fresh.byId.get(agent.id)!.activeTasks).toBe(4); // 3 read + 1 noted while reading

    const overtaken = gated();
    const t1 = t0 + 2 * POOL_TTL_MS + 10;
    expect(await loadPoolCached(notMine, tenant.id, "pool-behind", t1, overtaken.scope)).toBe(fresh);
    invalidatePools(tenant.id);
    await overtaken.open();
    const afterInvalidation = await loadPoolCached(own, tenant.id, "pool-behind", t1 + 1);
    expect(loads).toBe(2); // the read behind was dropped: this one loaded
    expect(afterInvalidation.byId.get(agent.id)!.activeTasks).toBe(3);

    const failing: SqlScope = () => Promise.reject(new Error("connection lost"));
    const t2 = t1 + POOL_TTL_MS + 10;
    expect(await loadPoolCached(notMine, tenant.id, "pool-behind", t2, failing)).toBe(afterInvalidation);
    await tick();
    const afterFailure = await loadPoolCached(own, tenant.id, "pool-behind", t2 + 1, failing);
    expect(loads).toBe(3); // dropped: the next read loads it through its own source
    expect(afterFailure).not.toBe(afterInvalidation);
  });
});
