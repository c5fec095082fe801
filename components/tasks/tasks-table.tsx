"use client";
import Link from "next/link";
import type { FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { CursorPager } from "@/components/ui/cursor-pager";
import { useHydrated } from "@/components/ui/use-hydrated";
import { dateTime, ms } from "@/components/ui/format";
import { TASK_STATUSES } from "@/server/routing/task-schemas";
import { taskFiltersFromParams } from "./filters";

export function TasksTable() {
  const trpc = useTRPC();
  const { params, navigate } = useUrlFilters();
  const hydrated = useHydrated();
  const filters = taskFiltersFromParams(params);
  const tasks = useQuery({ ...trpc.tasks.list.queryOptions(filters), refetchInterval: 10_000 });

  function onFilter(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    navigate({ status: String(f.get("status") || "") || undefined, type: String(f.get("type") || "").trim() || undefined, cursor: undefined });
  }

  return (
    <>
      <p className="muted">Tasks are submitted by programs (tasks.submit) and routed at once; this list refreshes every 10 s.</p>
      <form className="row" onSubmit={onFilter} aria-label="Filter tasks">
        <label>
          Status
          <select name="status" defaultValue={params.get("status") ?? ""}>
            <option value="">any</option>
            {TASK_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Type
          <input name="type" defaultValue={params.get("type") ?? ""} />
        </label>
        <button type="submit" disabled={!hydrated}>
          Filter
        </button>
      </form>
      <h2>Tasks</h2>
      {tasks.isPending ? (
        <p className="muted">Loading…</p>
      ) : tasks.isError ? (
        <p className="error">{tasks.error.message}</p>
      ) : tasks.data.items.length === 0 ? (
        <div className="empty">No tasks {params.toString() ? "match these filters" : "yet"}.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Task</th>
              <th>Type</th>
              <th>Priority</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Outcome</th>
              <th>Submitted</th>
            </tr>
          </thead>
          <tbody>
            {tasks.data.items.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link href={`/tasks/${t.id}`}>{t.id.slice(0, 10)}</Link>
                </td>
                <td>{t.type}</td>
                <td>{t.priority}</td>
                <td>{t.status}</td>
                <td className="muted">{t.statusReason ?? ""}</td>
                <td>{t.success === null ? "—" : `${t.success ? "success" : "failure"}${t.quality === null ? "" : `, q ${t.quality}`}, ${ms(t.latencyMs)}`}</td>
                <td>{dateTime(t.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager cursor={filters.cursor} nextCursor={tasks.data?.nextCursor} navigate={navigate} firstLabel="Newest" nextLabel="Older" />
    </>
  );
}
