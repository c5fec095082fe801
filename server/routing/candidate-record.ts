// How a routing decision stores its scored candidates. Current records are packed binary
// (packCandidates): a few hundred candidates' scores as JSON were ~20 KB of text per decision that
// Node printed number by number and Postgres then parsed three times (the batch parameter,
// json_to_recordset, the json column) and compressed; packed they are ~16 KB of bytes, sent as
// a binary parameter and stored without parsing. Earlier records hold JSON: columnar with whole
// millionths, or before that one object per candidate. decodeCandidates reads all three.
import type { ScoredCandidate, ScoredColumns } from "./bandit";

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
//   UTF-8 JSON array of the n agent ids followed by the n names
// (One JSON array for the strings: V8 writes it in one pass, and one write copies it in; a length
// prefix per string meant two native calls per string, ~500 per decision.)
const PACKED_VERSION = 1;
const HEADER_BYTES = 8;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The record of a decision's scored candidates, in the order given. */
export function packCandidates(scored: ScoredColumns): Buffer {
  const n = scored.agentId.length;
  const strings = stringsOf(scored.agentId, scored.name);
  const numbersEnd = HEADER_BYTES + n * FIELDS.length * 4;
  // Unpooled (its own ArrayBuffer, so the float32 view starts aligned) and not zero-filled: every
  // byte is written below.
  const buf = Buffer.allocUnsafeSlow(numbersEnd + strings.length);
  buf.writeUInt8(PACKED_VERSION, 0);
  buf.writeUInt8(FIELDS.length, 1);
  buf.writeUInt16LE(0, 2);
  buf.writeUInt32LE(n, 4);
  const numbers = new Float32Array(buf.buffer, buf.byteOffset + HEADER_BYTES, n * FIELDS.length);
  FIELDS.forEach((field, f) => numbers.set(scored[field], f * n));
  if (!LITTLE_ENDIAN) buf.subarray(HEADER_BYTES, numbersEnd).swap32();
  strings.copy(buf, numbersEnd);
  return buf;
}

// Decisions that score the same candidates share their id and name arrays (the router's columns
// for a whole pool snapshot, see router.ts), and so share the record's string part, encoded once:
// JSON.stringify of a few hundred ids and names per decision cost about as much as the rest of it.
const stringsByIds = new WeakMap<readonly string[], { names: readonly string[]; bytes: Buffer }>();

function stringsOf(ids: readonly string[], names: readonly string[]): Buffer {
  const known = stringsByIds.get(ids);
  if (known?.names === names) return known.bytes;
  const bytes = Buffer.from(JSON.stringify([...ids, ...names]), "utf8");
  stringsByIds.set(ids, { names, bytes });
  return bytes;
}

function unpackCandidates(buf: Uint8Array): CandidateRecord[] {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (bytes.length < HEADER_BYTES || bytes.readUInt8(0) !== PACKED_VERSION) return [];
  const fieldCount = bytes.readUInt8(1);
  const n = bytes.readUInt32LE(4);
  const numbersEnd = HEADER_BYTES + fieldCount * n * 4;
  const strings = JSON.parse(bytes.toString("utf8", numbersEnd)) as string[];
  const numberAt = (field: number, i: number) => fromFloat32(bytes.readFloatLE(HEADER_BYTES + (field * n + i) * 4));
  return Array.from({ length: n }, (_, i) => {
    const c: CandidateRecord = { agentId: strings[i]!, name: strings[n + i]!, score: 0, mean: 0, bonus: 0, loadPenalty: 0, match: 0, pulls: 0 };
    FIELDS.forEach((f, field) => {
      if (field < fieldCount) c[f as NumberField] = numberAt(field, i);
    });
    return c;
  });
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
