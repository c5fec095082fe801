// The routing bandit. Arms are (agent, task type); each holds time-decayed evidence (pulls and
// reward sum). Strategies score every capable candidate and pick one, recording each score's parts.
// Pure: time (`now`) and randomness (`rng`) are parameters.
import { normalSampler, sampleBeta, type Rng } from "./random";

export const STRATEGIES = ["ucb1", "thompson", "epsilon_greedy", "capability_match"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface BanditPolicy {
  strategy: Strategy;
  /** UCB1's c in mean + c * sqrt(2 ln N / n). */
  explorationConstant: number;
  /** Epsilon-greedy: initial exploration probability, decayed as eps / (1 + decay * N). */
  epsilon: number;
  epsilonDecay: number;
  /** Score penalty per unit of utilization (active / max tasks). */
  loadPenalty: number;
  /** Evidence halves in weight every this many hours; 0 = never decays. */
  decayHalfLifeHours: number;
}

export interface ArmEvidence {
  pulls: number;
  rewardSum: number;
  /** Assigned tasks without an outcome yet. */
  pending: number;
  updatedAt: Date;
}

export interface BanditCandidate {
  agentId: string;
  name: string;
  /** Capability match 0..1. */
  match: number;
  /** activeTasks / maxConcurrentTasks, 0..1. */
  utilization: number;
  arm: ArmEvidence;
}

export interface ScoredCandidate {
  agentId: string;
  name: string;
  score: number;
  /** Posterior-style mean reward, prior included. */
  mean: number;
  /** What the strategy adds for exploration (UCB bonus, Thompson sample minus mean). */
  bonus: number;
  loadPenalty: number;
  match: number;
  /** Effective evidence: decayed pulls + prior + pending. */
  pulls: number;
  /** Weight left on this arm's past evidence after decay (1 = none faded). */
  evidenceWeight: number;
}

export interface BanditChoice {
  chosen: ScoredCandidate;
  scored: ScoredCandidate[];
  /** True when the choice differs from the greedy one (best mean after load penalty). */
  explored: boolean;
  /** Probability the strategy had of choosing this agent, where it defines one in closed form. */
  selectionProbability: number | null;
  /** The exploration rate in force (epsilon-greedy). */
  epsilonInForce?: number;
}

/** A new arm starts as if it had one pull at reward 0.5: finite scores, quick exploration. */
export const PRIOR_PULLS = 1;
export const PRIOR_MEAN = 0.5;

export function decayFactor(updatedAt: Date, now: Date, halfLifeHours: number): number {
  return decayAfter(now.getTime() - updatedAt.getTime(), halfLifeHours);
}

/** The weight left to evidence `ageMs` old: 0.5 per half-life; 1 when nothing decays. */
function decayAfter(ageMs: number, halfLifeHours: number): number {
  if (halfLifeHours <= 0 || ageMs <= 0) return 1;
  return Math.exp((-Math.LN2 * ageMs) / (halfLifeHours * 3_600_000));
}

/** The arm after one outcome. The SQL in the routing service performs the same update atomically. */
export function applyOutcome(arm: ArmEvidence, reward: number, now: Date, halfLifeHours: number): ArmEvidence {
  const f = decayFactor(arm.updatedAt, now, halfLifeHours);
  return { pulls: arm.pulls * f + 1, rewardSum: arm.rewardSum * f + reward, pending: Math.max(0, arm.pending - 1), updatedAt: now };
}

export function rewardOf(outcome: { success: boolean; quality: number | null }, qualityWeighted: boolean): number {
  if (!outcome.success) return 0;
  return qualityWeighted && outcome.quality !== null ? outcome.quality : 1;
}

interface Evidence {
  c: BanditCandidate;
  f: number;
  n: number;
  s: number;
  mean: number;
  penalty: number;
}

function evidenceOf(c: BanditCandidate, policy: BanditPolicy, nowMs: number): Evidence {
  const f = decayAfter(nowMs - c.arm.updatedAt.getTime(), policy.decayHalfLifeHours);
  const decayedPulls = c.arm.pulls * f;
  const decayedReward = c.arm.rewardSum * f;
  const mean = (decayedReward + PRIOR_MEAN * PRIOR_PULLS) / (decayedPulls + PRIOR_PULLS);
  // Pending tasks count as pulls at the current mean, so a promising new agent is not handed
  // every task before its first outcome arrives.
  const n = decayedPulls + PRIOR_PULLS + c.arm.pending;
  return { c, f, n, s: mean * n, mean, penalty: policy.loadPenalty * c.utilization };
}

function scored(e: Evidence, score: number, bonus: number): ScoredCandidate {
  return {
    agentId: e.c.agentId,
    name: e.c.name,
    score,
    mean: e.mean,
    bonus,
    loadPenalty: e.penalty,
    match: e.c.match,
    pulls: e.n,
    evidenceWeight: e.f,
  };
}

/** Index of the maximum; ties broken uniformly at random. Returns the index and the tie count. */
function argmax(values: readonly number[], rng: Rng): { index: number; ties: number } {
  let best = -Infinity;
  let index = -1;
  let ties = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > best + 1e-12) {
      best = v;
      index = i;
      ties = 1;
    } else if (Math.abs(v - best) <= 1e-12) {
      ties += 1;
      if (rng() * ties < 1) index = i;
    }
  }
  return { index, ties };
}

export function chooseAgent(candidates: readonly BanditCandidate[], policy: BanditPolicy, now: Date, rng: Rng): BanditChoice | null {
  if (candidates.length === 0) return null;
  const nowMs = now.getTime();
  const ev = candidates.map((c) => evidenceOf(c, policy, nowMs));
  const greedyValues = ev.map((e) => (policy.strategy === "capability_match" ? e.c.match : e.mean) - e.penalty);
  const greedy = argmax(greedyValues, rng);
  const greedyBest = greedyValues[greedy.index]!;

  const finish = (all: ScoredCandidate[], index: number, selectionProbability: number | null, extra: Partial<BanditChoice> = {}) => ({
    chosen: all[index]!,
    scored: all,
    explored: greedyValues[index]! < greedyBest - 1e-12,
    selectionProbability,
    ...extra,
  });

  switch (policy.strategy) {
    case "capability_match": {
      const all = ev.map((e, i) => scored(e, greedyValues[i]!, 0));
      return finish(all, greedy.index, 1 / greedy.ties);
    }
    case "ucb1": {
      const total = ev.reduce((sum, e) => sum + e.n, 0);
      const logTotal = Math.log(Math.max(total, Math.E));
      const all = ev.map((e) => {
        const bonus = policy.explorationConstant * Math.sqrt((2 * logTotal) / e.n);
        return scored(e, e.mean + bonus - e.penalty, bonus);
      });
      const pick = argmax(
        all.map((s) => s.score),
        rng,
      );
      return finish(all, pick.index, 1 / pick.ties);
    }
    case "thompson": {
      const normal = normalSampler(rng);
      const all = ev.map((e) => {
        const alpha = Math.max(e.s, 1e-6);
        const beta = Math.max(e.n - e.s, 1e-6);
        const sample = sampleBeta(alpha, beta, rng, normal);
        return scored(e, sample - e.penalty, sample - e.mean);
      });
      const pick = argmax(
        all.map((s) => s.score),
        rng,
      );
      // Thompson sampling's choice probability has no closed form; it is not estimated here.
      return finish(all, pick.index, null);
    }
    case "epsilon_greedy": {
      const total = ev.reduce((sum, e) => sum + (e.n - PRIOR_PULLS), 0);
      const eps = policy.epsilon / (1 + policy.epsilonDecay * total);
      const all = ev.map((e, i) => scored(e, greedyValues[i]!, 0));
      const index = rng() < eps ? Math.floor(rng() * all.length) : greedy.index;
      const p = (index === greedy.index ? (1 - eps) / greedy.ties : 0) + eps / all.length;
      return finish(all, index, p, { epsilonInForce: eps });
    }
  }
}
