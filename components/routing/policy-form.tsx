"use client";
// Edit the routing policy of the tenant ("*") or of one task type. Only the fields changed from the
// effective values are saved, so a task type keeps inheriting everything else.
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsFromIssues } from "@/server/validation";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { STRATEGIES } from "@/server/routing/bandit";
import { routingPolicyFieldsSchema, type RoutingPolicyFields } from "@/server/routing/policy-schemas";

const NUMBER_FIELDS: { key: keyof RoutingPolicyFields; label: string; step: string }[] = [
  { key: "explorationConstant", label: "UCB1 exploration constant c", step: "0.05" },
  { key: "epsilon", label: "Epsilon (exploration probability)", step: "0.01" },
  { key: "epsilonDecay", label: "Epsilon decay per outcome", step: "0.0001" },
  { key: "loadPenalty", label: "Load penalty (score per unit of utilization)", step: "0.05" },
  { key: "decayHalfLifeHours", label: "Evidence half-life (hours, 0 = no decay)", step: "1" },
  { key: "heartbeatTimeoutSeconds", label: "Heartbeat timeout (s, tenant-wide)", step: "1" },
];

export function PolicyForm({ taskTypes, canWrite }: { taskTypes: string[]; canWrite: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const [scope, setScope] = useState("*");
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const effective = useQuery(trpc.routing.effectivePolicy.queryOptions({ taskType: scope }));
  const save = useMutation(
    trpc.routing.setPolicy.mutationOptions({
      onSuccess: () => {
        setSaved(scope === "*" ? "Tenant default saved." : `Policy for ${scope} saved.`);
        void queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() });
      },
    }),
  );
  const errors = { ...fieldErrorsOf(save.error), ...clientErrors };

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!effective.data) return;
    const f = new FormData(e.currentTarget);
    const values = {
      strategy: String(f.get("strategy")),
      qualityWeighted: f.get("qualityWeighted") === "on",
      noCandidateAction: String(f.get("noCandidateAction")),
      ...Object.fromEntries(NUMBER_FIELDS.map(({ key }) => [key, Number(f.get(key))])),
    };
    const parsed = routingPolicyFieldsSchema.safeParse(values);
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    const changed = Object.fromEntries(Object.entries(parsed.data).filter(([k, v]) => effective.data[k as keyof RoutingPolicyFields] !== v));
    setSaved(null);
    save.mutate({ taskType: scope, ...changed });
  }

  const p = effective.data;
  return (
    <div className="card">
      <label style={{ maxWidth: 320 }}>
        Applies to
        <select value={scope} onChange={(e) => setScope(e.target.value)} aria-label="Policy scope">
          <option value="*">all task types (tenant default)</option>
          {taskTypes.map((t) => (
            <option key={t} value={t}>
              task type {t}
            </option>
          ))}
        </select>
      </label>
      {!p ? (
        <p className="muted">Loading policy…</p>
      ) : (
        <form key={`${scope}-${p.strategy}-${JSON.stringify(p.source)}`} className="stack" style={{ marginTop: "0.75rem" }} onSubmit={onSubmit} noValidate aria-label="Routing policy">
          <div className="field">
            <label htmlFor="policy-strategy">Strategy</label>
            <select id="policy-strategy" name="strategy" defaultValue={p.strategy} disabled={!canWrite}>
              {STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <span className="muted">from {p.source.strategy}</span>
          </div>
          {NUMBER_FIELDS.map(({ key, label, step }) => (
            <label key={key}>
              {label}
              <input name={key} type="number" step={step} defaultValue={String(p[key])} disabled={!canWrite} />
              <span className="muted">from {p.source[key]}</span>
              <FieldError errors={errors} name={key} />
            </label>
          ))}
          <label style={{ flexDirection: "row", alignItems: "center", gap: "0.5rem" }}>
            <input name="qualityWeighted" type="checkbox" defaultChecked={p.qualityWeighted} disabled={!canWrite} /> Reward weighted by reported quality
          </label>
          <div className="field">
            <label htmlFor="policy-no-candidate">When no agent can take a task</label>
            <select id="policy-no-candidate" name="noCandidateAction" defaultValue={p.noCandidateAction} disabled={!canWrite}>
              <option value="wait">wait until one can</option>
              <option value="reject">reject it with the reason</option>
            </select>
          </div>
          {save.error && !Object.keys(fieldErrorsOf(save.error)).length ? <p className="error">{save.error.message}</p> : null}
          {saved ? <p className="notice">{saved}</p> : null}
          {canWrite ? (
            <button type="submit" disabled={save.isPending || !hydrated}>
              Save policy
            </button>
          ) : (
            <p className="muted">Your role can view but not change the routing policy.</p>
          )}
        </form>
      )}
    </div>
  );
}
