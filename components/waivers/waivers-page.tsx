"use client";
// The Waivers page: the pending queue (refreshed every few seconds, so a new request shows up
// without a reload), the request form, and the history with filters in the URL.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { CursorPager } from "@/components/ui/cursor-pager";
import { dateTime } from "@/components/ui/format";
import { WAIVABLE_GATES, WAIVER_VIEWS } from "@/server/constitution/schemas";
import { WaiverRequestForm } from "./waiver-request-form";

type View = (typeof WAIVER_VIEWS)[number];
type Gate = (typeof WAIVABLE_GATES)[number];
const STATE_CLASS: Record<string, string> = { proposed: "badge warn", active: "badge ok", expired: "badge", lapsed: "badge", rejected: "badge bad", revoked: "badge bad" };

interface Row {
  id: string;
  code: string;
  title: string;
  gates: string[];
  deltaFiles: number | null;
  deltaLoc: number | null;
  specId: string | null;
  taskType: string | null;
  requestedByLabel: string;
  requestedAt: Date;
  expiresAt: Date;
  state: string;
  approvals: number;
  requiredApprovals: number;
  expiresSoon: boolean;
  lapsesAt: Date;
}

function WaiverTable({ rows, label, pending }: { rows: Row[]; label: string; pending?: boolean }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th>Waiver</th>
          <th>Permits</th>
          <th>Scope</th>
          <th>Requested</th>
          <th>{pending ? "Approvals" : "State"}</th>
          <th>{pending ? "Lapses" : "Expires"}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr key={w.id} data-testid={`waiver-${w.code}`}>
            <td>
              <Link href={`/waivers/${w.id}`}>{w.code}</Link> {w.title}
            </td>
            <td>
              {w.gates.join(", ")}
              {w.deltaFiles ? `; +${w.deltaFiles} files` : ""}
              {w.deltaLoc ? `; +${w.deltaLoc} lines` : ""}
            </td>
            <td>
              {w.specId ? `spec ${w.specId}` : "project"}
              {w.taskType ? `, ${w.taskType} tasks` : ""}
            </td>
            <td>
              {w.requestedByLabel}, {dateTime(w.requestedAt)}
            </td>
            <td>
              {pending ? (
                `${w.approvals} of ${w.requiredApprovals}`
              ) : (
                <>
                  <span className={STATE_CLASS[w.state]}>{w.state}</span>
                  {w.expiresSoon ? <span className="badge warn"> expires soon</span> : null}
                </>
              )}
            </td>
            <td>{dateTime(pending ? w.lapsesAt : w.expiresAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WaiversPage({ canRequest }: { canRequest: boolean }) {
  const trpc = useTRPC();
  const { params, navigate } = useUrlFilters();
  const view = ((WAIVER_VIEWS as readonly string[]).includes(params.get("view") ?? "") ? params.get("view") : "active") as View;
  const gate = (WAIVABLE_GATES as readonly string[]).includes(params.get("gate") ?? "") ? (params.get("gate") as Gate) : undefined;
  const cursor = params.get("cursor") ?? undefined;
  const pending = useQuery({ ...trpc.waivers.list.queryOptions({ view: "pending", limit: 100 }), refetchInterval: 3000 });
  const history = useQuery(trpc.waivers.list.queryOptions({ view, gate, cursor, limit: 25 }));
  const active = useQuery({ ...trpc.waivers.list.queryOptions({ view: "active", limit: 200 }), refetchInterval: 60_000 });
  const expiringSoon = active.data?.items.filter((w) => w.expiresSoon) ?? [];
  const requestOpen = params.get("request") === "1";
  return (
    <>
      <h2>
        Pending approval <span className="badge warn" data-testid="pending-count">{pending.data?.items.length ?? "…"}</span>
      </h2>
      {pending.data && pending.data.items.length === 0 ? <p className="muted">Nothing waits for approval.</p> : pending.data ? <WaiverTable rows={pending.data.items} label="Pending waivers" pending /> : null}

      {expiringSoon.length > 0 ? (
        <>
          <h2>
            Active, expiring soon <span className="badge warn">{expiringSoon.length}</span>
          </h2>
          <WaiverTable rows={expiringSoon} label="Waivers expiring soon" />
        </>
      ) : null}

      {canRequest ? (
        <>
          <h2>Request a waiver</h2>
          {requestOpen ? (
            <WaiverRequestForm taskId={params.get("taskId") ?? undefined} specId={params.get("specId") ?? undefined} />
          ) : (
            <button type="button" className="secondary" onClick={() => navigate({ request: "1" })}>
              New waiver request
            </button>
          )}
        </>
      ) : null}

      <h2>History</h2>
      <form className="row" aria-label="Waiver filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Show
          <select value={view} onChange={(e) => navigate({ view: e.target.value, cursor: undefined })}>
            {WAIVER_VIEWS.filter((v) => v !== "pending").map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          Gate
          <select value={gate ?? ""} onChange={(e) => navigate({ gate: e.target.value || undefined, cursor: undefined })}>
            <option value="">any</option>
            {WAIVABLE_GATES.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
      </form>
      {history.data && history.data.items.length === 0 ? <p className="muted">No {view} waivers.</p> : history.data ? <WaiverTable rows={history.data.items} label="Waiver history" /> : null}
      <CursorPager cursor={cursor} nextCursor={history.data?.nextCursor} navigate={navigate} />
    </>
  );
}
