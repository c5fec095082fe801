// Offline simulation of the routing bandit on Bernoulli arms: the same chooseAgent/applyOutcome the
// routing service uses, minus the database. Used by the correctness tests.
import { applyOutcome, chooseAgent, type ArmEvidence, type BanditPolicy } from "./bandit";
import type { Rng } from "./random";

export interface SimulatedArm {
  id: string;
  /** Success probability per round, which may change over time. */
  mean: (round: number) => number;
  /** First round the arm exists (agents registered mid-run). */
  from?: number;
}

export interface SimulationResult {
  pulls: Record<string, number>;
  /** Pulls per arm within each window of `windowSize` rounds. */
  windows: Record<string, number>[];
  /** Expected regret (best available mean - chosen mean), cumulative. */
  regret: number;
  regretPerWindow: number[];
}

export function simulate(
  arms: readonly SimulatedArm[],
  policy: BanditPolicy,
  rounds: number,
  rng: Rng,
  { windowSize = 1000, start = new Date("2026-01-01T00:00:00Z"), minutesPerRound = 1 } = {},
): SimulationResult {
  const state = new Map<string, ArmEvidence>(arms.map((a) => [a.id, { pulls: 0, rewardSum: 0, pending: 0, updatedAt: start }]));
  const pulls: Record<string, number> = Object.fromEntries(arms.map((a) => [a.id, 0]));
  const windows: Record<string, number>[] = [];
  const regretPerWindow: number[] = [];
  let regret = 0;
  for (let round = 0; round < rounds; round++) {
    const w = Math.floor(round / windowSize);
    windows[w] ??= Object.fromEntries(arms.map((a) => [a.id, 0]));
    regretPerWindow[w] ??= 0;
    const now = new Date(start.getTime() + round * minutesPerRound * 60_000);
    const live = arms.filter((a) => (a.from ?? 0) <= round);
    const choice = chooseAgent(
      live.map((a) => ({ agentId: a.id, name: a.id, match: 1, utilization: 0, arm: state.get(a.id)! })),
      policy,
      now,
      rng,
    )!;
    const arm = live.find((a) => a.id === choice.chosen.agentId)!;
    const p = arm.mean(round);
    const reward = rng() < p ? 1 : 0;
    state.set(arm.id, applyOutcome(state.get(arm.id)!, reward, now, policy.decayHalfLifeHours));
    pulls[arm.id]! += 1;
    windows[w]![arm.id]! += 1;
    const step = Math.max(...live.map((a) => a.mean(round))) - p;
    regret += step;
    regretPerWindow[w]! += step;
  }
  return { pulls, windows, regret, regretPerWindow };
}
