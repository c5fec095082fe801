// Parses a YAML document keeping positions, so every issue found later can name its line.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from "yaml";

export interface SourceIssue {
  path: string;
  line: number | null;
  message: string;
}

export type ParsedYaml =
  | { ok: true; value: Record<string, unknown>; lineOf: (pointer: string) => number | null }
  | { ok: false; errors: SourceIssue[] };

export function parseYamlMapping(text: string, what: string): ParsedYaml {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => ({ path: "/", line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split("\n")[0]}` })) };
  }
  const value = doc.toJS() as unknown;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, errors: [{ path: "/", line: 1, message: `A ${what} is a YAML mapping` }] };
  }
  const root = doc.contents as Node | null;
  return { ok: true, value: value as Record<string, unknown>, lineOf: (pointer) => lineOf(root, pointer, counter) };
}

/** The line of the node at a JSON-pointer-like path ("/scope/in/0"), or of its nearest parent. */
function lineOf(root: Node | null, pointer: string, counter: LineCounter): number | null {
  let node: Node | null = root;
  let best: number | null = node?.range ? counter.linePos(node.range[0]).line : null;
  for (const raw of pointer.split("/").filter(Boolean)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    let next: Node | null = null;
    if (isMap(node)) {
      // A mapping entry is reported at its key's line (a block value starts on the next line).
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair) {
        next = (pair.value as Node | null) ?? null;
        if (isScalar(pair.key) && pair.key.range) best = counter.linePos(pair.key.range[0]).line;
      }
    } else if (isSeq(node)) {
      next = (node.items[Number(key)] as Node | undefined) ?? null;
      if (next?.range) best = counter.linePos(next.range[0]).line;
    }
    if (!next) break;
    node = next;
  }
  return best;
}

/** Maps ajv errors to issues with paths and lines. */
export function schemaIssues(
  errors: readonly { keyword: string; instancePath: string; params: unknown; message?: string }[] | null | undefined,
  lineOfPath: (pointer: string) => number | null,
): SourceIssue[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : "";
    const path = `${e.instancePath}${extra}` || "/";
    return { path, line: lineOfPath(path), message: e.keyword === "additionalProperties" ? `unknown field ${extra.slice(1)}` : (e.message ?? "invalid") };
  });
}
