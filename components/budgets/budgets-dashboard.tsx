"use client";
// Budgets: each budget's usage as a gauge, the month's burn-down, threshold events, and a form to
// set a budget for the tenant or one task type.
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsFromIssues } from "@/server/validation";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { dateTime } from "@/components/ui/format";
import { setBudgetSchema } from "@/server/constitution/schemas";
import { BurnDownChart, TasksPerDayChart } from "@/components/charts/budget-charts";

function Gauge({ pct, label, testId }: { pct: number | null; label: string; testId: string }) {
  if (pct === null) return <span className="muted">no limit</span>;
  const shown = Math.min(100, Math.round(pct));
  const colour = pct >= 100 ? "#b42318" : pct >= 75 ? "#b54708" : "#067647";
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: "0.4rem" }}>
      <span role="meter" aria-valuenow={shown} aria-valuemin={0} aria-valuemax={100} aria-label={label} style={{ width: 120, height: 10, background: "#eef0f3", borderRadius: 5, overflow: "hidden", display: "inline-block" }}>
        <span style={{ width: `${shown}%`, height: "100%", background: colour, display: "block" }} />
      </span>
      <span data-testid={testId}>{Math.round(pct)}%</span>
    </span>
  );
}

const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? null : Number(v));

export function BudgetsDashboard({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const overview = useQuery({ ...trpc.budgets.overview.queryOptions(), refetchInterval: 10_000 });
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const set = useMutation(
    trpc.budgets.set.mutationOptions({
      onSuccess: (r) => {
        setSaved(r.removed ? `Budget for ${r.taskType === "*" ? "the tenant" : r.taskType} removed.` : `Budget for ${r.taskType === "*" ? "the tenant" : r.taskType} saved.`);
        void queryClient.invalidateQueries({ queryKey: trpc.budgets.pathKey() });
      },
    }),
  );
  const errors = { ...fieldErrorsOf(set.error), ...clientErrors };
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const parsed = setBudgetSchema.safeParse({ taskType: String(f.get("taskType") ?? "").trim() || "*", tasksPerDay: num(f.get("tasksPerDay")), costUnitsPerMonth: num(f.get("costUnitsPerMonth")) });
    if (!parsed.success) return setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
    setClientErrors({});
    setSaved(null);
    set.mutate(parsed.data);
  }
  const o = overview.data;
  return (
    <>
      {!o ? (
        <p className="muted">Loading budgets…</p>
      ) : o.budgets.length === 0 ? (
        <p className="muted">No budgets: tasks are limited only by the policy&apos;s gates.</p>
      ) : (
        <>
          <table aria-label="Budgets">
            <thead>
              <tr>
                <th>Applies to</th>
                <th>Tasks today</th>
                <th>Cost this month</th>
              </tr>
            </thead>
            <tbody>
              {o.budgets.map((b) => (
                <tr key={b.id} data-testid={`budget-${b.taskType}`}>
                  <td>{b.taskType === "*" ? "the whole tenant" : `task type ${b.taskType}`}</td>
                  <td>
                    {b.tasksToday} of {b.tasksPerDay ?? "∞"} <Gauge pct={b.tasksUsedPct} label={`Tasks today for ${b.taskType}`} testId={`tasks-pct-${b.taskType}`} />
                  </td>
                  <td>
                    {Math.round(b.costThisMonth * 100) / 100} of {b.costUnitsPerMonth ?? "∞"} <Gauge pct={b.costUsedPct} label={`Cost this month for ${b.taskType}`} testId={`cost-pct-${b.taskType}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {o.budgets.map((b) => (
            <section key={b.id} aria-label={`Budget ${b.taskType}`}>
              <h2>{b.taskType === "*" ? "Tenant" : b.taskType}: this month</h2>
              <div className="split">
                {b.costUnitsPerMonth !== null ? <BurnDownChart days={b.burnDown} testId={`burndown-${b.taskType}`} /> : <p className="muted">No cost budget.</p>}
                <TasksPerDayChart days={b.burnDown} testId={`tasks-chart-${b.taskType}`} />
              </div>
            </section>
          ))}
        </>
      )}
      <h2>Events</h2>
      {o && o.events.length === 0 ? (
        <p className="muted">No budget reached 75% yet.</p>
      ) : (
        <table aria-label="Budget events">
          <tbody>
            {o?.events.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.createdAt)}</td>
                <td>
                  {e.taskType === "*" ? "tenant" : e.taskType} {e.metric.replaceAll("_", " ")} reached <strong>{e.threshold}%</strong> ({Math.round(e.used * 100) / 100} of {e.limitValue})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite ? (
        <>
          <h2>Set a budget</h2>
          <form className="card stack" onSubmit={onSubmit} noValidate aria-label="Set a budget">
            <label>
              Task type (empty = the whole tenant)
              <input name="taskType" />
              <FieldError errors={errors} name="taskType" />
            </label>
            <label>
              Tasks per day (empty = no limit)
              <input name="tasksPerDay" type="number" min={1} />
              <FieldError errors={errors} name="tasksPerDay" />
            </label>
            <label>
              Cost units per month (empty = no limit)
              <input name="costUnitsPerMonth" type="number" min={0} step="0.01" />
              <FieldError errors={errors} name="costUnitsPerMonth" />
            </label>
            <p className="muted">Both empty removes the budget. Over budget, a task waits for a waiver or is denied, as the policy&apos;s budgets.over_budget says.</p>
            {set.error && !Object.keys(fieldErrorsOf(set.error)).length ? <p className="error">{set.error.message}</p> : null}
            {saved ? <p className="notice">{saved}</p> : null}
            <button type="submit" disabled={!hydrated || set.isPending}>
              Save budget
            </button>
          </form>
        </>
      ) : null}
    </>
  );
}
