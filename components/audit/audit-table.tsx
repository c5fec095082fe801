"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { CursorPager } from "@/components/ui/cursor-pager";
import { auditFiltersFromParams } from "./filters";
import { useHydrated } from "@/components/ui/use-hydrated";

export function AuditTable() {
  const trpc = useTRPC();
  const { params, navigate } = useUrlFilters();
  const filters = auditFiltersFromParams(params);
  const hydrated = useHydrated();
  const events = useQuery(trpc.audit.list.queryOptions(filters));
  const me = useQuery(trpc.tenant.me.queryOptions());
  const canVerify = me.data?.permissions.includes("audit:verify") ?? false;
  const [verifyRequested, setVerifyRequested] = useState(false);
  const verification = useQuery({ ...trpc.audit.verify.queryOptions(), enabled: verifyRequested, staleTime: 0 });

  function onFilter(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const value = (k: string) => String(f.get(k) ?? "").trim() || undefined;
    navigate({ action: value("action"), actor: value("actor"), from: value("from"), to: value("to"), cursor: undefined });
  }

  return (
    <>
      <form className="row" onSubmit={onFilter} aria-label="Filter audit events">
        <label>
          Action starts with
          <input name="action" defaultValue={params.get("action") ?? ""} placeholder="api_token." />
        </label>
        <label>
          Actor
          <input name="actor" defaultValue={params.get("actor") ?? ""} placeholder="email or token name" />
        </label>
        <label>
          From (UTC)
          <input name="from" type="date" defaultValue={params.get("from") ?? ""} />
        </label>
        <label>
          To (UTC)
          <input name="to" type="date" defaultValue={params.get("to") ?? ""} />
        </label>
        <button type="submit" disabled={!hydrated}>
          Filter
        </button>
        {canVerify ? (
          <button type="button" className="secondary" onClick={() => (verifyRequested ? void verification.refetch() : setVerifyRequested(true))}>
            Verify chain
          </button>
        ) : null}
      </form>
      {verification.data ? (
        <p className={verification.data.ok ? "notice" : "error"} data-testid="chain-verification">
          {verification.data.ok
            ? `Chain verified: ${verification.data.entries} entries, head ${verification.data.headHash.slice(0, 12)}…`
            : `Chain broken at entry ${verification.data.brokenAtSeq}: ${verification.data.reason}`}
        </p>
      ) : null}
      <h2>Events</h2>
      {events.isPending ? (
        <p className="muted">Loading events…</p>
      ) : events.isError ? (
        <p className="error">{events.error.message}</p>
      ) : events.data.items.length === 0 ? (
        <div className="empty">No audit events match these filters.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Time (UTC)</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
              <th>Change</th>
              <th>Request</th>
            </tr>
          </thead>
          <tbody>
            {events.data.items.map((e) => (
              <tr key={e.id}>
                <td>{e.seq}</td>
                <td>{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{e.actorLabel}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 10)}` : "—"}</td>
                <td>
                  <code style={{ fontSize: "0.8rem" }}>{JSON.stringify(e.summary)}</code>
                </td>
                <td className="muted">{e.requestId?.slice(0, 8) ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager cursor={filters.cursor} nextCursor={events.data?.nextCursor} navigate={navigate} firstLabel="Newest" nextLabel="Older" />
    </>
  );
}
