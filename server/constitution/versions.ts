// Content hashing and line diffs for versioned YAML documents (policies and specs).
import { createHash } from "node:crypto";
import { diffLines } from "diff";

export const contentHash = (content: string) => createHash("sha256").update(content).digest("hex");

export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
  /** Line number in the old / new document (null where the line is not in it). */
  oldLine: number | null;
  newLine: number | null;
}

export function lineDiff(before: string, after: string): { lines: DiffLine[]; added: number; removed: number } {
  const lines: DiffLine[] = [];
  let oldLine = 1;
  let newLine = 1;
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    const texts = part.value.replace(/\n$/, "").split("\n");
    for (const text of texts) {
      if (part.added) {
        lines.push({ kind: "added", text, oldLine: null, newLine: newLine++ });
        added++;
      } else if (part.removed) {
        lines.push({ kind: "removed", text, oldLine: oldLine++, newLine: null });
        removed++;
      } else lines.push({ kind: "same", text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return { lines, added, removed };
}

export const formatIssues = (issues: { path: string; line: number | null; message: string }[]) =>
  issues.map((i) => `line ${i.line ?? "?"} (${i.path}): ${i.message}`);
