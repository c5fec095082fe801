// Bandit correctness by simulation (seeded): each strategy must concentrate on the best arm, its
// regret per round must fall, it must find a better agent added mid-run and abandon one that
// degrades. The ranges leave margin for honest randomness but fail a broken bandit.
import { describe, expect, it } from "vitest";
import { chooseAgent, decayFactor, applyOutcome, scoredList, type BanditPolicy, type Strategy } from "./bandit";
import { seededRng } from "./random";
import { simulate, type SimulatedArm } from "./simulation";

const BASE: BanditPolicy = {
  strategy: "ucb1",
  explorationConstant: 0.5,
  epsilon: 0.1,
  epsilonDecay: 0.0005,
  loadPenalty: 0,
  decayHalfLifeHours: 0,
};

const MEANS = [0.9, 0.8, 0.7, 0.5, 0.3];
const ARMS: SimulatedArm[] = MEANS.map((m, i) => ({ id: `a${i}`, mean: () => m }));
const ROUNDS = 10_000;

// Minimum share of pulls on the best arm over 10,000 rounds, and maximum cumulative regret.
// A uniform random router scores 20% and regret ~3,600; a greedy-only router that locks onto a
// wrong arm scores ~0% on the best arm.
const EXPECTATIONS: Record<Exclude<Strategy, "capability_match">, { bestShare: number; maxRegret: number }> = {
  ucb1: { bestShare: 0.88, maxRegret: 200 },
  thompson: { bestShare: 0.92, maxRegret: 120 },
  epsilon_greedy: { bestShare: 0.9, maxRegret: 250 },
};

describe.each(Object.entries(EXPECTATIONS))("%s on Bernoulli arms 0.9/0.8/0.7/0.5/0.3", (strategy, expected) => {
  const policy = { ...BASE, strategy: strategy as Strategy };

  it(`puts at least ${expected.bestShare * 100}% of 10,000 pulls on the best arm, with bounded regret`, () => {
    for (const seed of [1, 2, 3]) {
      const r = simulate(ARMS, policy, ROUNDS, seededRng(seed));
      expect(r.pulls.a0! / ROUNDS).toBeGreaterThan(expected.bestShare);
      expect(r.regret).toBeLessThan(expected.maxRegret);
      // Every arm was tried: exploration happened.
      expect(Math.min(...Object.values(r.pulls))).toBeGreaterThan(0);
    }
  });

  it("has regret per round that falls as rounds grow", () => {
    const r = simulate(ARMS, policy, ROUNDS, seededRng(7));
    const first = r.regretPerWindow[0]! / 1000;
    const lastThree = r.regretPerWindow.slice(-3).reduce((a, b) => a + b, 0) / 3000;
    expect(lastThree).toBeLessThan(first * 0.5);
  });

  it("finds a better agent registered mid-run", () => {
    const arms: SimulatedArm[] = [...ARMS, { id: "new", mean: () => 0.97, from: 5000 }];
    const r = simulate(arms, { ...policy, decayHalfLifeHours: 24 }, ROUNDS, seededRng(11));
    // In the last 2,000 rounds the newcomer carries most of the work.
    const late = (r.windows[8]!.new! + r.windows[9]!.new!) / 2000;
    expect(late).toBeGreaterThan(0.5);
  });

  it("abandons an agent whose quality degrades (with decay)", () => {
    const arms: SimulatedArm[] = [
      { id: "star", mean: (round) => (round < 4000 ? 0.95 : 0.2) },
      ...MEANS.slice(1).map((m, i) => ({ id: `b${i}`, mean: () => m })),
    ];
    const r = simulate(arms, { ...policy, decayHalfLifeHours: 24 }, ROUNDS, seededRng(5));
    expect(r.windows[2]!.star! / 1000).toBeGreaterThan(0.5); // it was the favourite
    expect((r.windows[8]!.star! + r.windows[9]!.star!) / 2000).toBeLessThan(0.1);
  });
});

describe("capability_match", () => {
  it("always takes the best-matching agent, ignoring outcomes", () => {
    const now = new Date();
    const arm = { pulls: 0, rewardSum: 0, pending: 0, updatedAt: now };
    const choice = chooseAgent(
      [
        { agentId: "a", name: "a", match: 0.6, utilization: 0, arm: { ...arm, pulls: 100, rewardSum: 99 } },
        { agentId: "b", name: "b", match: 0.9, utilization: 0, arm },
      ],
      { ...BASE, strategy: "capability_match" },
      now,
      seededRng(1),
    )!;
    expect(choice.chosen.agentId).toBe("b");
    expect(choice.selectionProbability).toBe(1);
  });
});

describe("scores and records", () => {
  const now = new Date("2026-03-01T00:00:00Z");
  const fresh = { pulls: 0, rewardSum: 0, pending: 0, updatedAt: now };

  it("penalises load so an idle agent of equal quality wins", () => {
    const choice = chooseAgent(
      [
        { agentId: "busy", name: "busy", match: 1, utilization: 0.9, arm: { ...fresh, pulls: 50, rewardSum: 40 } },
        { agentId: "idle", name: "idle", match: 1, utilization: 0, arm: { ...fresh, pulls: 50, rewardSum: 40 } },
      ],
      { ...BASE, strategy: "ucb1", loadPenalty: 0.5 },
      now,
      seededRng(3),
    )!;
    expect(choice.chosen.agentId).toBe("idle");
    expect(scoredList(choice.scored).find((s) => s.agentId === "busy")!.loadPenalty).toBeCloseTo(0.45);
  });

  it("counts pending tasks as pulls, so a new agent's exploration bonus shrinks before outcomes arrive", () => {
    const policy = { ...BASE, strategy: "ucb1" as const, explorationConstant: 1 };
    const veteran = { agentId: "v", name: "v", match: 1, utilization: 0, arm: { ...fresh, pulls: 200, rewardSum: 160 } };
    const newcomer = (pending: number) => ({ agentId: "n", name: "n", match: 1, utilization: 0, arm: { ...fresh, pending } });
    expect(chooseAgent([veteran, newcomer(0)], policy, now, seededRng(1))!.chosen.agentId).toBe("n");
    const score = (p: number) => scoredList(chooseAgent([veteran, newcomer(p)], policy, now, seededRng(1))!.scored).find((s) => s.agentId === "n")!.score;
    expect(score(5)).toBeLessThan(score(0));
    expect(score(20)).toBeLessThan(score(5));
    expect(chooseAgent([veteran, newcomer(100)], policy, now, seededRng(1))!.chosen.agentId).toBe("v");
  });

  it("gives epsilon-greedy's selection probability and marks exploration", () => {
    const policy = { ...BASE, strategy: "epsilon_greedy" as const, epsilon: 0.3, epsilonDecay: 0 };
    const cands = [
      { agentId: "good", name: "g", match: 1, utilization: 0, arm: { ...fresh, pulls: 100, rewardSum: 90 } },
      { agentId: "bad", name: "b", match: 1, utilization: 0, arm: { ...fresh, pulls: 100, rewardSum: 10 } },
    ];
    const rng = seededRng(9);
    const seen = { good: 0, bad: 0 };
    for (let i = 0; i < 2000; i++) {
      const c = chooseAgent(cands, policy, now, rng)!;
      seen[c.chosen.agentId as "good" | "bad"] += 1;
      if (c.chosen.agentId === "good") expect(c.selectionProbability).toBeCloseTo(0.85);
      else {
        expect(c.selectionProbability).toBeCloseTo(0.15);
        expect(c.explored).toBe(true);
      }
    }
    expect(seen.bad / 2000).toBeGreaterThan(0.11);
    expect(seen.bad / 2000).toBeLessThan(0.19);
  });

  it("halves evidence every half-life", () => {
    const later = new Date(now.getTime() + 48 * 3_600_000);
    expect(decayFactor(now, later, 24)).toBeCloseTo(0.25);
    expect(decayFactor(now, later, 0)).toBe(1);
    const arm = applyOutcome({ pulls: 8, rewardSum: 4, pending: 1, updatedAt: now }, 1, later, 24);
    expect(arm).toEqual({ pulls: 3, rewardSum: 2, pending: 0, updatedAt: later });
  });
});
