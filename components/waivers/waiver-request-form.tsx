"use client";
// Request a waiver: which gates it covers, an optional budget raise, why, the mitigation, how long,
// and its scope (one spec or the whole project; optionally one task type).
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsFromIssues } from "@/server/validation";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { WAIVABLE_GATES, WAIVER_REASONS, requestWaiverSchema } from "@/server/constitution/schemas";

const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? undefined : Number(v));

export function WaiverRequestForm({ taskId, specId }: { taskId?: string; specId?: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const specs = useQuery(trpc.constitution.specs.queryOptions());
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const [done, setDone] = useState<string | null>(null);
  const request = useMutation(
    trpc.waivers.request.mutationOptions({
      onSuccess: (w) => {
        setDone(`Requested ${w.code}: it needs ${w.requiredApprovals} approval(s) and expires ${w.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC${w.expiryCapped ? " (capped by the policy)" : ""}.`);
        void queryClient.invalidateQueries({ queryKey: trpc.waivers.pathKey() });
      },
    }),
  );
  const errors = { ...fieldErrorsOf(request.error), ...clientErrors };

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const expires = String(f.get("expiresAt") ?? "");
    const parsed = requestWaiverSchema.safeParse({
      title: f.get("title"),
      gates: f.getAll("gates"),
      deltaFiles: num(f.get("deltaFiles")),
      deltaLoc: num(f.get("deltaLoc")),
      reasonCode: f.get("reasonCode"),
      description: f.get("description"),
      mitigation: f.get("mitigation"),
      expiresAt: expires ? new Date(`${expires}Z`) : undefined,
      specId: String(f.get("specId") ?? "") || undefined,
      taskType: String(f.get("taskType") ?? "").trim() || undefined,
      taskId: taskId || undefined,
    });
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    setDone(null);
    request.mutate(parsed.data);
  }

  return (
    <form className="card stack" style={{ maxWidth: 640 }} onSubmit={onSubmit} noValidate aria-label="Request a waiver">
      {taskId ? <p className="muted">For task {taskId.slice(0, 10)}, which waits for a waiver.</p> : null}
      <label>
        Title
        <input name="title" required />
        <FieldError errors={errors} name="title" />
      </label>
      <fieldset>
        <legend>Gates it covers</legend>
        {WAIVABLE_GATES.map((g) => (
          <label key={g} style={{ flexDirection: "row", alignItems: "center", gap: "0.4rem", fontWeight: 400 }}>
            <input type="checkbox" name="gates" value={g} /> {g}
          </label>
        ))}
        <FieldError errors={errors} name="gates" />
      </fieldset>
      <div className="pair">
        <label>
          Extra files (budget raise)
          <input name="deltaFiles" type="number" min={1} />
          <FieldError errors={errors} name="deltaFiles" />
        </label>
        <label>
          Extra lines (budget raise)
          <input name="deltaLoc" type="number" min={1} />
          <FieldError errors={errors} name="deltaLoc" />
        </label>
      </div>
      <label>
        Reason
        <select name="reasonCode" defaultValue="other">
          {WAIVER_REASONS.map((r) => (
            <option key={r} value={r}>
              {r.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <label>
        Description
        <textarea name="description" rows={3} />
        <FieldError errors={errors} name="description" />
      </label>
      <label>
        Mitigation
        <textarea name="mitigation" rows={3} />
        <FieldError errors={errors} name="mitigation" />
      </label>
      <label>
        Expires (UTC; empty = the policy&apos;s default)
        <input name="expiresAt" type="datetime-local" />
        <FieldError errors={errors} name="expiresAt" />
      </label>
      <label>
        Scope
        <select name="specId" defaultValue={specId ?? ""}>
          <option value="">the whole project</option>
          {specs.data?.map((s) => (
            <option key={s.specId} value={s.specId}>
              spec {s.specId}
            </option>
          ))}
        </select>
        <FieldError errors={errors} name="specId" />
      </label>
      <label>
        Task type (empty = every type)
        <input name="taskType" />
      </label>
      {request.error && !Object.keys(fieldErrorsOf(request.error)).length ? <p className="error">{request.error.message}</p> : null}
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <button type="submit" disabled={!hydrated || request.isPending}>
        Request waiver
      </button>
    </form>
  );
}
