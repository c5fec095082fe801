"use client";
// The Decisions page: verdicts over time, the most-failed rules, waiver usage, and the decisions
// themselves (filters and cursor in the URL), each opening its full record.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { CursorPager } from "@/components/ui/cursor-pager";
import { Figure } from "@/components/ui/figure";
import { dateTime, ms } from "@/components/ui/format";
import { VerdictsChart } from "@/components/charts/verdicts-chart";
import { VERDICT_CLASS } from "./evaluation-view";
import { VERDICTS, decisionFiltersFromParams } from "./decision-filters";

export function DecisionsDashboard() {
  const trpc = useTRPC();
  const { params, navigate } = useUrlFilters();
  const filters = decisionFiltersFromParams(params);
  const metrics = useQuery(trpc.constitution.decisionMetrics.queryOptions({ days: filters.days }));
  const list = useQuery(trpc.constitution.decisions.queryOptions({ ...filters, limit: 25 }));
  const m = metrics.data;
  return (
    <>
      <form className="row" aria-label="Decision filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Period
          <select value={filters.days} onChange={(e) => navigate({ days: e.target.value, cursor: undefined })}>
            {[1, 7, 30, 90].map((d) => (
              <option key={d} value={d}>
                last {d} day{d === 1 ? "" : "s"}
              </option>
            ))}
          </select>
        </label>
        <label>
          Verdict
          <select value={filters.verdict ?? ""} onChange={(e) => navigate({ verdict: e.target.value || undefined, cursor: undefined })}>
            <option value="">all</option>
            {VERDICTS.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      </form>
      {m ? (
        <>
          <div className="cards" style={{ marginTop: "1rem" }}>
            <Figure label="Decisions" value={m.totals.decisions} testId="decisions-total" />
            <Figure label="Used a waiver" value={m.totals.with_waiver} testId="decisions-with-waiver" />
            <Figure label="Evaluation P95" value={ms(m.totals.p95_ms)} testId="decisions-p95" />
          </div>
          <h2>Verdicts over time</h2>
          <VerdictsChart rows={m.perDay} />
          <div className="split">
            <div>
              <h2>Most-failed rules</h2>
              {m.failedRules.length === 0 ? (
                <p className="muted">No rule failed in this period.</p>
              ) : (
                <table aria-label="Most-failed rules">
                  <tbody>
                    {m.failedRules.map((r) => (
                      <tr key={r.rule}>
                        <td>
                          <code>{r.rule}</code>
                        </td>
                        <td>{r.failures}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <div>
              <h2>Waiver usage</h2>
              {m.waiverUse.length === 0 ? (
                <p className="muted">No decision used a waiver in this period.</p>
              ) : (
                <table aria-label="Waiver usage">
                  <tbody>
                    {m.waiverUse.map((w) => (
                      <tr key={w.waiver}>
                        <td>{w.waiver}</td>
                        <td>{w.decisions} decision(s)</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
        </>
      ) : (
        <p className="muted">Loading metrics…</p>
      )}
      <h2>Decisions</h2>
      {list.data && list.data.items.length === 0 ? (
        <p className="muted">No decisions in this period.</p>
      ) : (
        <table aria-label="Constitutional decisions">
          <thead>
            <tr>
              <th>When</th>
              <th>Verdict</th>
              <th>Task</th>
              <th>Spec</th>
              <th>Failed rules</th>
              <th>Waivers</th>
              <th>Trigger</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={`/decisions/${d.id}`}>{dateTime(d.createdAt)}</Link>
                </td>
                <td>
                  <span className={VERDICT_CLASS[d.verdict]}>{d.verdict}</span>
                </td>
                <td>{d.taskId ? <Link href={`/tasks/${d.taskId}`}>{d.taskType}</Link> : d.taskType}</td>
                <td>{d.specId ?? "—"}</td>
                <td>{d.failedRules.join(", ") || "—"}</td>
                <td>{d.appliedWaiverIds.join(", ") || "—"}</td>
                <td>{d.trigger.replace("_", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager cursor={filters.cursor} nextCursor={list.data?.nextCursor} navigate={navigate} />
    </>
  );
}
