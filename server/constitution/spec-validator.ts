// Validates a CAWS working spec (YAML): parses with positions, tells which format it is (the
// current one, or the legacy one that still carries change_budget), and reports every deviation
// from that format's JSON schema with its path and line. It never throws on bad input.
import Ajv2020 from "ajv/dist/2020";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from "yaml";
import currentSchema from "./caws/spec.v1.json";
import legacySchema from "./caws/legacy-working-spec.schema.json";

export type SpecFormat = "current" | "legacy";

export interface SpecIssue {
  path: string;
  line: number | null;
  message: string;
}

export type SpecValidation =
  | { parsed: false; format: null; errors: SpecIssue[]; warnings: SpecIssue[] }
  | { parsed: true; format: SpecFormat; valid: boolean; errors: SpecIssue[]; warnings: SpecIssue[]; errorsAgainstOther: number; spec: Record<string, unknown> };

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = { current: ajv.compile(currentSchema), legacy: ajv.compile(legacySchema) };

/** The line of the node at a JSON-pointer-like path ("/scope/in/0"), or of its nearest parent. */
function lineOf(root: Node | null, pointer: string, counter: LineCounter): number | null {
  let node: Node | null = root;
  let best: number | null = node?.range ? counter.linePos(node.range[0]).line : null;
  for (const raw of pointer.split("/").filter(Boolean)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    let next: Node | null = null;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair) {
        next = (pair.value as Node | null) ?? null;
        if (isScalar(pair.key) && pair.key.range) best = counter.linePos(pair.key.range[0]).line;
      }
    } else if (isSeq(node)) {
      next = (node.items[Number(key)] as Node | undefined) ?? null;
    }
    if (!next) break;
    node = next;
    if (node.range) best = counter.linePos(node.range[0]).line;
  }
  return best;
}

function issuesFor(format: SpecFormat, spec: unknown, root: Node | null, counter: LineCounter): SpecIssue[] {
  const validate = validators[format];
  validate(spec);
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : "";
    const path = `${e.instancePath}${extra}` || "/";
    return { path, line: lineOf(root, path, counter), message: e.keyword === "additionalProperties" ? `unknown field ${extra.slice(1)}` : (e.message ?? "invalid") };
  });
}

export function validateSpec(text: string): SpecValidation {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      parsed: false,
      format: null,
      errors: doc.errors.map((e) => ({ path: "/", line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split("\n")[0]}` })),
      warnings: doc.warnings.map((w) => ({ path: "/", line: counter.linePos(w.pos[0]).line, message: w.message })),
    };
  }
  const spec = doc.toJS() as unknown;
  const root = doc.contents as Node | null;
  if (!spec || typeof spec !== "object" || Array.isArray(spec)) {
    return { parsed: false, format: null, errors: [{ path: "/", line: 1, message: "A spec is a YAML mapping" }], warnings: [] };
  }
  const current = issuesFor("current", spec, root, counter);
  const legacy = issuesFor("legacy", spec, root, counter);
  // The format is the one the file declares by its shape (change_budget means legacy), else the closer one.
  const format: SpecFormat = "change_budget" in spec ? "legacy" : current.length <= legacy.length ? "current" : "legacy";
  const errors = format === "current" ? current : legacy;
  return {
    parsed: true,
    format,
    valid: errors.length === 0,
    errors,
    warnings: [],
    errorsAgainstOther: format === "current" ? legacy.length : current.length,
    spec: spec as Record<string, unknown>,
  };
}
