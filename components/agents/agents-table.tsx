"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { CursorPager } from "@/components/ui/cursor-pager";
import { fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { LoadBar } from "@/components/ui/load-bar";
import { ago, percent } from "@/components/ui/format";
import { AGENT_STATUSES } from "@/server/registry/schemas";
import { AgentForm } from "./agent-form";
import { agentFiltersFromParams } from "./filters";

const STATUS_BADGE: Record<string, string> = { available: "ok", offline: "bad", maintenance: "bad" };

export function AgentsTable() {
  const trpc = useTRPC();
  const { params, navigate } = useUrlFilters();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const filters = agentFiltersFromParams(params);
  const agents = useQuery(trpc.agents.list.queryOptions(filters));
  const me = useQuery(trpc.tenant.me.queryOptions());
  const canWrite = me.data?.permissions.includes("agents:write") ?? false;
  const [showForm, setShowForm] = useState(false);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.agents.list.pathKey() });
  const register = useMutation(
    trpc.agents.register.mutationOptions({
      onSuccess: () => {
        setShowForm(false);
        void invalidate();
      },
    }),
  );
  const setStatus = useMutation(trpc.agents.setStatus.mutationOptions({ onSuccess: () => void invalidate() }));

  function onFilter(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? "").trim() || undefined;
    navigate({ q: v("q"), status: v("status"), taskType: v("taskType"), tag: v("tag"), cursor: undefined });
  }

  return (
    <>
      {canWrite ? (
        <div style={{ marginBottom: "1rem" }}>
          <button type="button" onClick={() => setShowForm((s) => !s)} disabled={!hydrated} aria-expanded={showForm}>
            {showForm ? "Close" : "Register agent"}
          </button>
          {showForm ? (
            <div className="card" style={{ marginTop: "0.75rem" }}>
              <h2 style={{ marginTop: 0 }}>Register an agent</h2>
              <AgentForm
                submitLabel="Register"
                pending={register.isPending}
                serverErrors={fieldErrorsOf(register.error)}
                serverMessage={register.error?.message ?? null}
                onSubmit={(values) => register.mutate({ ...values, status: "available" })}
              />
            </div>
          ) : null}
        </div>
      ) : null}
      <form className="row" onSubmit={onFilter} aria-label="Filter agents">
        <label>
          Search
          <input name="q" defaultValue={params.get("q") ?? ""} placeholder="name or model" />
        </label>
        <label>
          Status
          <select name="status" defaultValue={params.get("status") ?? ""}>
            <option value="">any</option>
            {AGENT_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Task type
          <input name="taskType" defaultValue={params.get("taskType") ?? ""} />
        </label>
        <label>
          Tag
          <input name="tag" defaultValue={params.get("tag") ?? ""} />
        </label>
        <button type="submit" disabled={!hydrated}>
          Filter
        </button>
      </form>
      {setStatus.error ? <p className="error">{setStatus.error.message}</p> : null}
      <h2>Registered agents</h2>
      {agents.isPending ? (
        <p className="muted">Loading agents…</p>
      ) : agents.isError ? (
        <p className="error">{agents.error.message}</p>
      ) : agents.data.items.length === 0 ? (
        <div className="empty">{params.toString() ? "No agents match these filters." : "No agents registered yet. Register one, or call agents.register from a program."}</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Model</th>
              <th>Task types</th>
              <th>Status</th>
              <th>Load</th>
              <th>Success</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {agents.data.items.map((a) => (
              <tr key={a.id} data-testid={`agent-row-${a.name}`}>
                <td>
                  <Link href={`/agents/${a.id}`}>{a.name}</Link>
                  {a.tags.length ? <div className="muted">{a.tags.join(", ")}</div> : null}
                </td>
                <td>{a.modelFamily}</td>
                <td>{a.capabilities.taskTypes.map((t) => t.name).join(", ")}</td>
                <td>
                  {canWrite ? (
                    <select
                      aria-label={`Status of ${a.name}`}
                      value={a.status}
                      disabled={!hydrated}
                      onChange={(e) => setStatus.mutate({ agentId: a.id, status: e.target.value as (typeof AGENT_STATUSES)[number] })}
                    >
                      {AGENT_STATUSES.map((s) => (
                        <option key={s}>{s}</option>
                      ))}
                    </select>
                  ) : (
                    <span className={`badge ${STATUS_BADGE[a.status] ?? ""}`}>{a.status}</span>
                  )}
                </td>
                <td>
                  <LoadBar active={a.activeTasks} max={a.maxConcurrentTasks} />
                </td>
                <td>
                  {percent(a.successRate)} <span className="muted">({a.tasksCompleted})</span>
                </td>
                <td title={a.lastSeenAt.toISOString()}>{ago(a.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager cursor={filters.cursor} nextCursor={agents.data?.nextCursor} navigate={navigate} firstLabel="First page" nextLabel="Next page" />
    </>
  );
}
