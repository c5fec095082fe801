// How a routing decision stores its scored candidates. Current records are packed binary
// (packCandidates): a few hundred candidates' scores as JSON were ~20 KB of text per decision that
// Node printed number by number and Postgres then parsed three times (the batch parameter,
// json_to_recordset, the json column) and compressed; packed they are ~16 KB of bytes, sent as
// a binary parameter and stored as they are. Earlier records hold JSON: columnar with whole
// millionths, or before that one object per candidate. decodeCandidates reads all three.
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

// Packed layout, little-endian:
//   u8 version (1) | u8 number of fields (7) | u16 zero | u32 candidates n
//   n float32 per field, field after field in FIELDS order
//   per candidate: u16 byte length + UTF-8 agent id, u16 byte length + UTF-8 name
const PACKED_VERSION = 1;
const HEADER_BYTES = 8;

/** The record of a decision's scored candidates, in the order given. */
export function packCandidates(scored: readonly ScoredCandidate[]): Buffer {
  const n = scored.length;
  const numbersEnd = HEADER_BYTES + n * FIELDS.length * 4;
  let size = numbersEnd;
  for (const s of scored) size += 4 + Buffer.byteLength(s.agentId) + Buffer.byteLength(s.name);
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt8(PACKED_VERSION, 0);
  buf.writeUInt8(FIELDS.length, 1);
  buf.writeUInt16LE(0, 2);
  buf.writeUInt32LE(n, 4);
  // Field by field in plain loops: keyed access (s[field]) in the inner loop was several times slower.
  let at = HEADER_BYTES;
  for (const s of scored) at = buf.writeFloatLE(s.score, at);
  for (const s of scored) at = buf.writeFloatLE(s.mean, at);
  for (const s of scored) at = buf.writeFloatLE(s.bonus, at);
  for (const s of scored) at = buf.writeFloatLE(s.loadPenalty, at);
  for (const s of scored) at = buf.writeFloatLE(s.match, at);
  for (const s of scored) at = buf.writeFloatLE(s.pulls, at);
  for (const s of scored) at = buf.writeFloatLE(s.evidenceWeight, at);
  for (const s of scored) {
    at = writeString(buf, s.agentId, at);
    at = writeString(buf, s.name, at);
  }
  return buf;
}

function writeString(buf: Buffer, value: string, at: number): number {
  const length = buf.write(value, at + 2, "utf8");
  buf.writeUInt16LE(length, at);
  return at + 2 + length;
}

function unpackCandidates(buf: Uint8Array): CandidateRecord[] {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (bytes.length < HEADER_BYTES || bytes.readUInt8(0) !== PACKED_VERSION) return [];
  const fieldCount = bytes.readUInt8(1);
  const n = bytes.readUInt32LE(4);
  const numberAt = (field: number, i: number) => HEADER_BYTES + (field * n + i) * 4;
  let at = HEADER_BYTES + fieldCount * n * 4;
  const readString = () => {
    const length = bytes.readUInt16LE(at);
    const value = bytes.toString("utf8", at + 2, at + 2 + length);
    at += 2 + length;
    return value;
  };
  const out: CandidateRecord[] = [];
  for (let i = 0; i < n; i++) {
    const agentId = readString();
    const name = readString();
    const c: CandidateRecord = { agentId, name, score: 0, mean: 0, bonus: 0, loadPenalty: 0, match: 0, pulls: 0 };
    FIELDS.forEach((f, field) => {
      if (field < fieldCount) c[f as NumberField] = fromFloat32(bytes.readFloatLE(numberAt(field, i)));
    });
    out.push(c);
  }
  return out;
}

/** A float32 as the shortest decimal that reads back to it (0.7123457, not 0.71234571933746338). */
function fromFloat32(x: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(x.toPrecision(digits));
    if (Math.fround(shortest) === x) return shortest;
  }
  return x;
}

const isColumnar = (stored: unknown): stored is ColumnarCandidates =>
  typeof stored === "object" && stored !== null && !Array.isArray(stored) && Array.isArray((stored as ColumnarCandidates).agentId) && typeof (stored as ColumnarCandidates).scale === "number";

/** The candidates of a stored decision, one object each, in recorded order: from the packed
 *  record when there is one, else from the JSON one. */
export function decodeCandidates(packed: Uint8Array | null, stored: unknown): CandidateRecord[] {
  if (packed) return unpackCandidates(packed);
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
