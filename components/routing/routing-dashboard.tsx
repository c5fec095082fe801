"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Figure } from "@/components/ui/figure";
import { dateTime, ms, percent } from "@/components/ui/format";
import { AgentShareChart, DecisionsOverTimeChart, RegretChart } from "@/components/charts/routing-charts";
import { routingFiltersFromParams } from "./filters";
import { PolicyForm } from "./policy-form";

export function RoutingDashboard() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = routingFiltersFromParams(params);
  const unit = filters.range === "24h" ? "hour" : "day";
  const metrics = useQuery({ ...trpc.routing.metrics.queryOptions(filters), refetchInterval: 15_000 });
  const types = useQuery(trpc.routing.taskTypes.queryOptions());
  const me = useQuery(trpc.tenant.me.queryOptions());
  const [cursors, setCursors] = useState<string[]>([]);
  const decisions = useQuery({ ...trpc.routing.decisions.queryOptions({ ...filters, limit: 25, cursor: cursors[cursors.length - 1] }), refetchInterval: cursors.length ? false : 15_000 });

  function setFilter(key: string, value: string | undefined) {
    const merged = new URLSearchParams(params);
    if (value) merged.set(key, value);
    else merged.delete(key);
    setCursors([]);
    router.push(`${pathname}?${merged.toString()}`);
  }

  return (
    <>
      <div className="row" style={{ display: "flex", gap: "1rem", alignItems: "flex-end", flexWrap: "wrap" }}>
        <label>
          Time range
          <select value={filters.range} onChange={(e) => setFilter("range", e.target.value === "24h" ? undefined : e.target.value)}>
            <option value="24h">last 24 hours</option>
            <option value="7d">last 7 days</option>
            <option value="30d">last 30 days</option>
          </select>
        </label>
        <label>
          Task type
          <select value={filters.taskType ?? ""} onChange={(e) => setFilter("taskType", e.target.value || undefined)}>
            <option value="">all</option>
            {(types.data ?? []).map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
      </div>

      {metrics.isPending ? (
        <p className="muted">Loading metrics…</p>
      ) : metrics.isError ? (
        <p className="error">{metrics.error.message}</p>
      ) : metrics.data.totals.decisions === 0 ? (
        <div className="empty" style={{ marginTop: "1rem" }}>
          No routing decisions in this range. Submit tasks with tasks.submit (see examples/) and they appear here.
        </div>
      ) : (
        <>
          <div className="cards" style={{ marginTop: "1rem" }}>
            <Figure label="Decisions" value={String(metrics.data.totals.decisions)} testId="figure-decisions" />
            <Figure label="Exploration rate" value={percent(metrics.data.totals.explorationRate, 1)} testId="figure-exploration" />
            <Figure label="Routing latency P50" value={ms(metrics.data.totals.routingP50Ms)} testId="figure-p50" />
            <Figure label="Routing latency P95" value={ms(metrics.data.totals.routingP95Ms)} testId="figure-p95" />
          </div>
          <h2>Decisions over time</h2>
          <div className="card">
            <DecisionsOverTimeChart rows={metrics.data.overTime} unit={unit} />
          </div>
          <h2>Agents: share of tasks, success rate and quality</h2>
          <div className="card">
            <AgentShareChart rows={metrics.data.perAgent} />
          </div>
          <table style={{ marginTop: "0.75rem" }}>
            <thead>
              <tr>
                <th>Agent</th>
                <th>Assigned</th>
                <th>Share</th>
                <th>Outcomes</th>
                <th>Success</th>
                <th>Avg quality</th>
                <th>Mean reward</th>
              </tr>
            </thead>
            <tbody>
              {metrics.data.perAgent.map((a) => (
                <tr key={a.agentId} data-testid={`routing-agent-${a.name}`}>
                  <td>
                    <Link href={`/agents/${a.agentId}`}>{a.name}</Link>
                  </td>
                  <td>{a.assigned}</td>
                  <td>{percent(a.share, 1)}</td>
                  <td>{a.outcomes}</td>
                  <td>{percent(a.successRate)}</td>
                  <td>{a.avgQuality === null ? "—" : a.avgQuality.toFixed(2)}</td>
                  <td>{a.meanReward === null ? "—" : a.meanReward.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Cumulative regret against the best agent in hindsight</h2>
          <div className="card">
            {metrics.data.regret.length === 0 ? <p className="muted">No outcomes reported yet.</p> : <RegretChart rows={metrics.data.regret} unit={unit} />}
          </div>
        </>
      )}

      <h2>Recent decisions</h2>
      {decisions.data && decisions.data.items.length > 0 ? (
        <>
          <table>
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>Task type</th>
                <th>Strategy</th>
                <th>Result</th>
                <th>Agent</th>
                <th>Explored</th>
                <th>P(choice)</th>
                <th>Took</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {decisions.data.items.map((d) => (
                <tr key={d.id}>
                  <td>{dateTime(d.createdAt)}</td>
                  <td>{d.taskType}</td>
                  <td>{d.strategy}</td>
                  <td>{d.result}</td>
                  <td>{d.chosenAgentName ?? "—"}</td>
                  <td>{d.explored ? "yes" : "no"}</td>
                  <td>{d.selectionProbability === null ? "—" : d.selectionProbability.toFixed(2)}</td>
                  <td>{ms(d.decisionMs)}</td>
                  <td>
                    <Link href={`/routing/decisions/${d.id}`}>Open</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            {cursors.length > 0 ? (
              <button type="button" className="secondary" onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer
              </button>
            ) : null}
            {decisions.data.nextCursor ? (
              <button type="button" className="secondary" onClick={() => setCursors((c) => [...c, decisions.data!.nextCursor!])}>
                Older
              </button>
            ) : null}
          </div>
        </>
      ) : decisions.isPending ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="empty">No decisions in this range.</div>
      )}

      <h2>Routing policy</h2>
      <PolicyForm taskTypes={types.data ?? []} canWrite={me.data?.permissions.includes("routing:write") ?? false} />
    </>
  );
}
