import { describe, expect, it } from "vitest";
import { decodeCandidates, encodeCandidates } from "./candidate-record";
import type { ScoredCandidate } from "./bandit";

const scored: ScoredCandidate[] = [
  { agentId: "a1", name: "alpha", score: 0.7123456789, mean: 0.6, bonus: 0.1523456789, loadPenalty: 0.04, match: 0.9, pulls: 3.25, evidenceWeight: 0.97 },
  { agentId: "b2", name: "beta", score: 0.5, mean: 0.5, bonus: 0, loadPenalty: 0, match: 1, pulls: 1, evidenceWeight: 1 },
];

describe("candidate records", () => {
  it("round-trips every candidate and field in order, to six decimals", () => {
    const stored = JSON.parse(JSON.stringify(encodeCandidates(scored))) as unknown;
    const decoded = decodeCandidates(stored);
    expect(decoded.map((c) => c.name)).toEqual(["alpha", "beta"]);
    expect(decoded[0]).toEqual({ agentId: "a1", name: "alpha", score: 0.712346, mean: 0.6, bonus: 0.152346, loadPenalty: 0.04, match: 0.9, pulls: 3.25, evidenceWeight: 0.97 });
    expect(decoded[1]).toEqual(scored[1]);
  });

  it("is smaller than one object per candidate", () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ...scored[0]!, agentId: `agent-${i}`, name: `agent-${i}` }));
    expect(JSON.stringify(encodeCandidates(many)).length).toBeLessThan(JSON.stringify(many).length * 0.6);
  });

  it("reads records stored in the older form (an array of objects), and nothing else as candidates", () => {
    const legacy = [{ agentId: "x", name: "x", score: 1, mean: 1, bonus: 0, loadPenalty: 0, match: 1, pulls: 1 }];
    expect(decodeCandidates(legacy)).toEqual(legacy);
    expect(decodeCandidates(null)).toEqual([]);
    expect(decodeCandidates({})).toEqual([]);
  });
});
