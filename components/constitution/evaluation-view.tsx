// One evaluation: the verdict, each rule's result, the effective change budget with where each part
// came from, and the waivers applied and skipped (with why). Used by dry runs and decision records.
import Link from "next/link";
import type { EffectiveLimit, RuleResult, Verdict } from "@/server/constitution/evaluate";

const STATUS_CLASS: Record<string, string> = { pass: "badge ok", fail: "badge bad", warn: "badge warn", waived: "badge warn", skip: "badge" };
export const VERDICT_CLASS: Record<Verdict, string> = { allow: "badge ok", deny: "badge bad", needs_waiver: "badge warn" };

export interface EvaluationLike {
  verdict: Verdict;
  tier: number | null;
  rules: RuleResult[];
  waiversApplied: { id: string; gates: string[]; raisedFiles: number; raisedLoc: number }[];
  waiversSkipped: { id: string; reason: string }[];
  effectiveBudget: { maxFiles: EffectiveLimit; maxLoc: EffectiveLimit } | null;
}

function LimitParts({ limit, unit }: { limit: EffectiveLimit; unit: string }) {
  return (
    <>
      <strong>
        {limit.limit} {unit}
      </strong>{" "}
      = {limit.parts.map((p) => `${p.amount} (${p.source})`).join(" + ")}
    </>
  );
}

export function EvaluationView({ e, showSkipped = true }: { e: EvaluationLike; showSkipped?: boolean }) {
  const rules = showSkipped ? e.rules : e.rules.filter((r) => r.status !== "skip");
  return (
    <div className="stack" style={{ maxWidth: "none" }}>
      <p>
        Verdict:{" "}
        <span className={VERDICT_CLASS[e.verdict]} data-testid="verdict">
          {e.verdict}
        </span>
        {e.tier ? <span className="muted"> — risk tier {e.tier}</span> : null}
      </p>
      <table aria-label="Rule results">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Gate</th>
            <th>Result</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.rule} data-testid={`rule-${r.rule}`}>
              <td>
                <code>{r.rule}</code>
              </td>
              <td>{r.gate}</td>
              <td>
                <span className={STATUS_CLASS[r.status]}>{r.status}</span>
                {r.outcome ? <span className="muted"> → {r.outcome}</span> : null}
              </td>
              <td>
                {r.message}
                {r.waivedBy?.length ? <span className="muted"> (waived by {r.waivedBy.join(", ")})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {e.effectiveBudget ? (
        <p data-testid="effective-budget">
          Effective change budget: <LimitParts limit={e.effectiveBudget.maxFiles} unit="files" />; <LimitParts limit={e.effectiveBudget.maxLoc} unit="lines" />
        </p>
      ) : null}
      <div>
        <strong>Waivers applied:</strong>{" "}
        {e.waiversApplied.length === 0
          ? "none"
          : e.waiversApplied.map((w) => (
              <span key={w.id} className="badge ok" style={{ marginRight: 4 }}>
                {w.id} ({w.gates.join(", ")}
                {w.raisedFiles ? `, +${w.raisedFiles} files` : ""}
                {w.raisedLoc ? `, +${w.raisedLoc} lines` : ""})
              </span>
            ))}
      </div>
      {e.waiversSkipped.length > 0 ? (
        <div>
          <strong>Waivers skipped:</strong>
          <ul className="issues" data-testid="waivers-skipped">
            {e.waiversSkipped.map((w) => (
              <li key={w.id}>
                {w.id}: {w.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="muted">
        <Link href="/waivers">Waivers</Link> can cover a failed gate or raise the change budget.
      </p>
    </div>
  );
}
