import { describe, expect, it } from "vitest";
import { decodeCandidates, packCandidates } from "./candidate-record";
import { scoredColumns, type ScoredCandidate } from "./bandit";

const scored: ScoredCandidate[] = [
  { agentId: "a1", name: "alpha", score: 0.7123456789, mean: 0.6, bonus: 0.1523456789, loadPenalty: 0.04, match: 0.9, pulls: 3.25, evidenceWeight: 0.97 },
  { agentId: "b2", name: "béta ☃", score: 0.5, mean: 0.5, bonus: 0, loadPenalty: 0, match: 1, pulls: 1, evidenceWeight: 1 },
  { agentId: "c3", name: "gamma", score: -0.25, mean: 0.1, bonus: -0.3, loadPenalty: 0.05, match: 0.75, pulls: 12345.5, evidenceWeight: 0.000123 },
];

describe("candidate records", () => {
  it("round-trip every candidate and field in order, to float32 precision, names in any script", () => {
    const decoded = decodeCandidates(packCandidates(scoredColumns(scored)), null);
    expect(decoded.map((c) => [c.agentId, c.name])).toEqual([
      ["a1", "alpha"],
      ["b2", "béta ☃"],
      ["c3", "gamma"],
    ]);
    // Values a float32 holds come back as written; others within float32's relative precision.
    expect(decoded[0]).toMatchObject({ mean: 0.6, loadPenalty: 0.04, match: 0.9, pulls: 3.25, evidenceWeight: 0.97 });
    expect(decoded[0]!.score).not.toBe(scored[0]!.score);
    expect(Math.abs(decoded[0]!.score - scored[0]!.score)).toBeLessThan(1e-7);
    expect(Math.abs(decoded[0]!.bonus - scored[0]!.bonus)).toBeLessThan(1e-7);
    expect(decoded[1]).toEqual(scored[1]);
    expect(decoded[2]).toEqual(scored[2]);
  });

  it("keep names that JSON must escape, and the right names when records share their id array", () => {
    const odd = scoredColumns([{ ...scored[0]!, agentId: "q1", name: 'say "hi" \\ tab\t' }, { ...scored[1]!, agentId: "q2", name: "" }]);
    const names = (columns: typeof odd) => decodeCandidates(packCandidates(columns), null).map((c) => c.name);
    expect(names(odd)).toEqual(['say "hi" \\ tab\t', ""]);
    expect(names(odd)).toEqual(['say "hi" \\ tab\t', ""]);
    // Same ids (the same array), renamed agents: the record must not reuse the old names.
    expect(names({ ...odd, name: ["renamed", "too"] })).toEqual(["renamed", "too"]);
  });

  it("pack an empty candidate list into an empty record", () => {
    expect(decodeCandidates(packCandidates(scoredColumns([])), null)).toEqual([]);
  });

  it("read a packed record from a byte view that does not start its buffer (as drivers hand them out)", () => {
    const bytes = packCandidates(scoredColumns(scored));
    const inLargerBuffer = new Uint8Array(bytes.length + 16);
    inLargerBuffer.set(bytes, 16);
    expect(decodeCandidates(inLargerBuffer.subarray(16), null).map((c) => c.score)).toEqual([decodeCandidates(bytes, null)[0]!.score, 0.5, -0.25]);
  });

  it("are less than 40% of the size of JSON of one object per candidate", () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ...scored[0]!, agentId: `cmx6bl7h2003cin7dooo${String(i).padStart(5, "0")}`, name: `agent-${i}` }));
    expect(packCandidates(scoredColumns(many)).length).toBeLessThan(JSON.stringify(many).length * 0.4);
  });

  it("read records stored as JSON before packing: columnar in millionths, and one object per candidate", () => {
    const columnar = { scale: 1_000_000, agentId: ["a1"], name: ["alpha"], score: [712346], mean: [600000], bonus: [152346], loadPenalty: [40000], match: [900000], pulls: [3250000], evidenceWeight: [970000] };
    expect(decodeCandidates(null, columnar)).toEqual([{ agentId: "a1", name: "alpha", score: 0.712346, mean: 0.6, bonus: 0.152346, loadPenalty: 0.04, match: 0.9, pulls: 3.25, evidenceWeight: 0.97 }]);
    const legacy = [{ agentId: "x", name: "x", score: 1, mean: 1, bonus: 0, loadPenalty: 0, match: 1, pulls: 1 }];
    expect(decodeCandidates(null, legacy)).toEqual(legacy);
    expect(decodeCandidates(null, null)).toEqual([]);
    expect(decodeCandidates(null, {})).toEqual([]);
  });

  it("refuse a record of an unknown packing version rather than misread it", () => {
    const bytes = packCandidates(scoredColumns(scored));
    bytes.writeUInt8(9, 0);
    expect(decodeCandidates(bytes, null)).toEqual([]);
  });
});
