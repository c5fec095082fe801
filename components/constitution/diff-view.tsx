// A line diff between two versions of a YAML document.
import type { DiffLine } from "@/server/constitution/versions";

export function DiffView({ from, to, lines, added, removed }: { from: string; to: string; lines: DiffLine[]; added: number; removed: number }) {
  return (
    <div data-testid="diff">
      <p className="muted">
        {from} → {to}: +{added} −{removed} lines
      </p>
      <div className="diff">
        {lines.map((l, i) => (
          <div key={i} className={l.kind === "same" ? undefined : l.kind}>
            <span className="ln">{l.oldLine ?? ""}</span>
            <span className="ln">{l.newLine ?? ""}</span>
            {l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : "  "}
            {l.text}
          </div>
        ))}
      </div>
    </div>
  );
}
