"use client";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsFromIssues } from "@/server/validation";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { OPERATION_CLASSES, limitSettingSchema, type OperationClass } from "@/server/security/rate-limit-policy";

const DESCRIPTIONS: Record<OperationClass, string> = {
  submit: "task submission, progress, outcomes, heartbeats",
  query: "every read",
  admin: "changes to agents, tokens, members, policies",
  research: "research queries",
};

export function RateLimits() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.security.rateLimits.queryOptions());
  const me = useQuery(trpc.tenant.me.queryOptions());
  const canWrite = me.data?.permissions.includes("limits:write") ?? false;
  const [editing, setEditing] = useState<OperationClass | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const save = useMutation(
    trpc.security.setRateLimit.mutationOptions({
      onSuccess: () => {
        setEditing(null);
        void queryClient.invalidateQueries({ queryKey: trpc.security.rateLimits.queryKey() });
      },
    }),
  );
  const errors = { ...fieldErrorsOf(save.error), ...clientErrors };

  function onSubmit(e: FormEvent<HTMLFormElement>, operationClass: OperationClass) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const parsed = limitSettingSchema.safeParse({
      operationClass,
      perTenant: Number(f.get("perTenant")),
      perPrincipal: Number(f.get("perPrincipal")),
      windowSeconds: Number(f.get("windowSeconds")),
    });
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    save.mutate(parsed.data);
  }

  if (overview.isPending) return <p className="muted">Loading…</p>;
  if (overview.isError) return <p className="error">{overview.error.message}</p>;
  const refusedBy = new Map<string, number>();
  for (const r of overview.data.rejections) refusedBy.set(r.operationClass, (refusedBy.get(r.operationClass) ?? 0) + r.count);

  return (
    <>
      <p className="muted">
        Each call takes one point from the tenant&apos;s bucket and from the caller&apos;s (user or API token) for its class; past either limit
        the call gets HTTP 429 with Retry-After. Shared by every Arbiter instance (counters in Postgres).
      </p>
      <table>
        <thead>
          <tr>
            <th>Class</th>
            <th>Per tenant</th>
            <th>Per user or token</th>
            <th>Window</th>
            <th>Refused (7 days)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {overview.data.limits.map((l) => (
            <tr key={l.operationClass} data-testid={`limit-${l.operationClass}`}>
              <td>
                <strong>{l.operationClass}</strong>
                <div className="muted">{DESCRIPTIONS[l.operationClass as OperationClass]}</div>
              </td>
              <td>{l.perTenant.toLocaleString()}</td>
              <td>{l.perPrincipal.toLocaleString()}</td>
              <td>
                {l.windowSeconds} s{l.isDefault ? <span className="muted"> (default)</span> : null}
              </td>
              <td data-testid={`refused-${l.operationClass}`}>{refusedBy.get(l.operationClass) ?? 0}</td>
              <td>
                {canWrite ? (
                  <button type="button" className="secondary" disabled={!hydrated} onClick={() => setEditing(l.operationClass as OperationClass)}>
                    Edit
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <div className="card" style={{ marginTop: "1rem" }}>
          <h2 style={{ marginTop: 0 }}>Limits for {editing}</h2>
          <form className="stack" onSubmit={(e) => onSubmit(e, editing)} noValidate aria-label={`Rate limit for ${editing}`}>
            {(() => {
              const current = overview.data.limits.find((l) => l.operationClass === editing)!;
              return (
                <>
                  <label>
                    Calls per window, whole tenant
                    <input name="perTenant" type="number" min={1} defaultValue={current.perTenant} />
                    <FieldError errors={errors} name="perTenant" />
                  </label>
                  <label>
                    Calls per window, each user or token
                    <input name="perPrincipal" type="number" min={1} defaultValue={current.perPrincipal} />
                    <FieldError errors={errors} name="perPrincipal" />
                  </label>
                  <label>
                    Window (seconds)
                    <input name="windowSeconds" type="number" min={1} defaultValue={current.windowSeconds} />
                    <FieldError errors={errors} name="windowSeconds" />
                  </label>
                </>
              );
            })()}
            {save.error && !Object.keys(fieldErrorsOf(save.error)).length ? <p className="error">{save.error.message}</p> : null}
            <div style={{ display: "flex", gap: "0.5rem" }}>
              <button type="submit" disabled={save.isPending || !hydrated}>
                Save limits
              </button>
              <button type="button" className="secondary" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      ) : null}
      <p className="muted" style={{ marginTop: "1rem" }}>
        Classes: {OPERATION_CLASSES.join(", ")}. Changes take effect within 2 s on every instance.
      </p>
    </>
  );
}
