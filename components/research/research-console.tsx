"use client";
import type { FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { dateTime, ms, percent } from "@/components/ui/format";
import { Highlighted } from "@/components/knowledge/highlighted";
import { ResearchSettings } from "./research-settings";

const QUALITY_BADGE = { high: "ok", medium: "", low: "bad" } as const;

export function ResearchConsole() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const { params, navigate, field } = useUrlFilters();
  const query = params.get("q") ?? "";
  const answer = useQuery({ ...trpc.research.query.queryOptions({ query }), enabled: query.length > 0, staleTime: 0 });
  const cache = useQuery(trpc.research.cache.queryOptions());
  const providers = useQuery({ ...trpc.research.providers.queryOptions(), refetchInterval: 10_000 });
  const me = useQuery(trpc.tenant.me.queryOptions());

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    navigate({ q: field(new FormData(e.currentTarget), "q") });
  }

  return (
    <>
      <p className="muted">
        Providers in order: {cache.data?.providers.join(" → ") ?? "…"}. Web providers are configured per tenant below (or by the environment, see
        README). Bing Web Search v7 serves only deployments with an existing contract endpoint: Microsoft retired the public API in August 2025.
      </p>
      <form className="row" onSubmit={onSubmit} aria-label="Research">
        <label style={{ flex: 1 }}>
          Question or keywords
          <input name="q" defaultValue={query} />
        </label>
        <button type="submit" disabled={!hydrated}>
          Research
        </button>
      </form>
      {query ? (
        answer.isPending ? (
          <p className="muted">Researching…</p>
        ) : answer.isError ? (
          <p className="error">{answer.error.message}</p>
        ) : (
          <>
            <h2>
              Results {answer.data.cached ? <span className="badge" data-testid="cached">cached {dateTime(answer.data.at)}</span> : <span className="badge ok">fresh</span>}
            </h2>
            {answer.data.results.length === 0 ? (
              <div className="empty">No provider found anything for this query.</div>
            ) : (
              <ol>
                {answer.data.results.map((r) => (
                  <li key={r.canonicalUrl} data-testid="research-result" style={{ marginBottom: "0.75rem" }}>
                    <strong>{r.title}</strong> <span className="badge" data-testid="result-provider">{r.provider === "local" ? "local knowledge base" : r.provider}</span>{" "}
                    <span className={`badge ${QUALITY_BADGE[r.quality]}`}>{r.quality} quality</span>
                    <div className="muted">{r.url.startsWith("arbiter://") ? "knowledge base document" : r.url}</div>
                    <div>
                      <Highlighted text={r.snippet} />
                    </div>
                  </li>
                ))}
              </ol>
            )}
            <h2>Fallback trail</h2>
            <table>
              <thead>
                <tr>
                  <th>Provider</th>
                  <th>Outcome</th>
                  <th>Why</th>
                  <th>Attempts</th>
                  <th>Latency</th>
                  <th>Results</th>
                </tr>
              </thead>
              <tbody>
                {answer.data.trail.map((t) => (
                  <tr key={t.provider}>
                    <td>{t.provider}</td>
                    <td>{t.outcome}</td>
                    <td>{t.reason ?? "—"}</td>
                    <td>{t.attempts}</td>
                    <td>{ms(t.latencyMs)}</td>
                    <td>{t.results}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )
      ) : null}
      <h2>Provider health (this server)</h2>
      {providers.data ? (
        <table data-testid="provider-health">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Circuit</th>
              <th>Calls</th>
              <th>Error rate</th>
              <th>Latency P50</th>
              <th>Latency P95</th>
              <th>Quota used (per min)</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {providers.data.map((p) => (
              <tr key={p.id}>
                <td>{p.id === "local" ? "local knowledge base" : p.id}</td>
                <td>
                  <span className={`badge ${p.breaker === "closed" ? "ok" : "bad"}`}>{p.breaker}</span>
                </td>
                <td>{p.calls}</td>
                <td>{percent(p.errorRate, 1)}</td>
                <td>{ms(p.latencyP50Ms)}</td>
                <td>{ms(p.latencyP95Ms)}</td>
                <td>{p.quota.limit === null ? "no limit" : `${p.quota.used} / ${p.quota.limit}`}</td>
                <td className="muted">{p.lastError ? `${p.lastError.reason} (${dateTime(p.lastError.at)})` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <h2>Settings</h2>
      <ResearchSettings canWrite={me.data?.permissions.includes("knowledge:write") ?? false} />
      {cache.data ? (
        <p className="muted" style={{ marginTop: "1rem" }}>
          Cache: {cache.data.entries} answers stored, {cache.data.hits} served from cache (hit ratio {percent(cache.data.hitRatio)}).
        </p>
      ) : null}
    </>
  );
}
