import { describe, expect, it } from "vitest";
import { sortPool, type PoolAgent } from "./candidate-pool";

const now = new Date("2026-12-02T12:00:00Z");
const agent = (id: string, over: Partial<PoolAgent> = {}): PoolAgent => ({
  id,
  name: id,
  status: "available",
  maxConcurrentTasks: 2,
  activeTasks: 0,
  lastSeenAt: now,
  tasks: 0,
  successes: 0,
  capabilities: { taskTypes: { "code-review": 0.9 }, languages: { typescript: 0.6, go: 1 }, specializations: {} },
  arm: { pulls: 0, rewardSum: 0, pending: 0, updatedAt: now },
  ...over,
});
const filters = (over: Partial<Parameters<typeof sortPool>[1]> = {}) => ({
  taskType: "code-review",
  languages: ["typescript"],
  specializations: [],
  minProficiency: 0,
  maxUtilization: 1,
  minSuccessRate: 0,
  ...over,
});

describe("sortPool", () => {
  it("sorts agents into candidates and exclusions with the reason for each", () => {
    const pool = [agent("fits"), agent("full", { activeTasks: 2 }), agent("silent", { lastSeenAt: new Date(now.getTime() - 600_000) }), agent("off", { status: "draining" })];
    const { candidates, excluded } = sortPool(pool, filters(), 120, now);
    expect(candidates.map((c) => c.agent.id)).toEqual(["fits"]);
    expect(candidates[0]!.fit).toBe("type code-review 0.9, language typescript 0.6");
    expect(excluded.map((e) => [e.agentId, e.kind])).toEqual([["full", "capacity"], ["silent", "heartbeat"], ["off", "status"]]);
  });

  it("gives proficiencies in a candidate's reason to two places, and its match score exact", () => {
    const precise = agent("precise", { capabilities: { taskTypes: { "code-review": 0.9652650827774778 }, languages: { typescript: 0.70499 }, specializations: {} } });
    const [candidate] = sortPool([precise], filters(), 120, now).candidates;
    expect(candidate!.fit).toBe("type code-review 0.97, language typescript 0.7");
    expect(candidate!.match).toBe((0.9652650827774778 + 0.70499) / 2);
  });

  it("sorts a batch's view of a snapshot (same agents, load added) by the view's load, with the snapshot's matches", () => {
    const snapshot = [agent("a"), agent("b")];
    const view = snapshot.map((a) => (a.id === "a" ? { ...a, activeTasks: 2 } : a));
    const { candidates, excluded } = sortPool(view, filters(), 120, now, snapshot);
    expect(candidates.map((c) => c.agent.id)).toEqual(["b"]);
    expect(candidates[0]!.agent).toBe(view[1]);
    expect(excluded).toEqual([{ agentId: "a", name: "a", kind: "capacity", reason: "at capacity 2/2" }]);
    // A view that does not line up with the snapshot is matched on its own.
    expect(sortPool([agent("c", { capabilities: { taskTypes: {}, languages: {}, specializations: {} } })], filters(), 120, now, snapshot).excluded[0]!.kind).toBe("capability");
  });

  it("matches each requirement afresh on the same agents (the per-snapshot match memo is keyed by the whole requirement)", () => {
    const pool = [agent("a"), agent("b")];
    expect(sortPool(pool, filters(), 120, now).candidates).toHaveLength(2);
    const strict = sortPool(pool, filters({ minProficiency: 0.8 }), 120, now);
    expect(strict.candidates).toHaveLength(0);
    expect(strict.excluded[0]!.reason).toBe("language typescript proficiency 0.6 < 0.8");
    expect(sortPool(pool, filters({ languages: ["go"], minProficiency: 0.8 }), 120, now).candidates).toHaveLength(2);
    expect(sortPool(pool, filters({ languages: ["rust"] }), 120, now).excluded.map((e) => e.reason)).toEqual(["lacks language rust", "lacks language rust"]);
    // Load and status are read on every call, never remembered.
    pool[0]!.activeTasks = 2;
    expect(sortPool(pool, filters(), 120, now).candidates.map((c) => c.agent.id)).toEqual(["b"]);
  });
});
