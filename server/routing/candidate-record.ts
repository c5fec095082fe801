// How a routing decision stores its scored candidates: columnar (one array per field, in candidate
// order), numbers as whole millionths (integers print several times faster than fractions, and
// shorter). About half the size of one object per candidate and cheaper to write. Records written
// before this format hold an array of objects; decodeCandidates reads both.
import type { ScoredCandidate } from "./bandit";

const FIELDS = ["score", "mean", "bonus", "loadPenalty", "match", "pulls", "evidenceWeight"] as const;
type NumberField = (typeof FIELDS)[number];

export type CandidateRecord = Omit<ScoredCandidate, "evidenceWeight"> & {
  /** Absent in records made before evidence decay was recorded. */
  evidenceWeight?: number;
};

export interface ColumnarCandidates {
  /** Stored numbers are value * scale, rounded. */
  scale: number;
  agentId: string[];
  name: string[];
  score: number[];
  mean: number[];
  bonus: number[];
  loadPenalty: number[];
  match: number[];
  pulls: number[];
  evidenceWeight: number[];
}

const SCALE = 1_000_000;

export function encodeCandidates(scored: readonly ScoredCandidate[]): ColumnarCandidates {
  // Field by field in one plain loop, pushing (packed arrays, which JSON.stringify writes fastest):
  // looping over FIELDS with record[f] / s[f] (keyed access in the inner loop) took ~4x as long, and
  // this runs for every candidate of every decision.
  const record: ColumnarCandidates = { scale: SCALE, agentId: [], name: [], score: [], mean: [], bonus: [], loadPenalty: [], match: [], pulls: [], evidenceWeight: [] };
  for (const s of scored) {
    record.agentId.push(s.agentId);
    record.name.push(s.name);
    record.score.push(Math.round(s.score * SCALE));
    record.mean.push(Math.round(s.mean * SCALE));
    record.bonus.push(Math.round(s.bonus * SCALE));
    record.loadPenalty.push(Math.round(s.loadPenalty * SCALE));
    record.match.push(Math.round(s.match * SCALE));
    record.pulls.push(Math.round(s.pulls * SCALE));
    record.evidenceWeight.push(Math.round(s.evidenceWeight * SCALE));
  }
  return record;
}

const isColumnar = (stored: unknown): stored is ColumnarCandidates =>
  typeof stored === "object" && stored !== null && !Array.isArray(stored) && Array.isArray((stored as ColumnarCandidates).agentId) && typeof (stored as ColumnarCandidates).scale === "number";

/** The candidates of a stored decision, one object each, in recorded order. */
export function decodeCandidates(stored: unknown): CandidateRecord[] {
  if (Array.isArray(stored)) return stored as CandidateRecord[];
  if (!isColumnar(stored)) return [];
  return stored.agentId.map((agentId, i) => {
    const c: CandidateRecord = { agentId, name: stored.name[i] ?? agentId, score: 0, mean: 0, bonus: 0, loadPenalty: 0, match: 0, pulls: 0 };
    for (const f of FIELDS) {
      const value = stored[f]?.[i];
      if (typeof value === "number") c[f as NumberField] = value / stored.scale;
    }
    return c;
  });
}
