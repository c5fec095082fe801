"use client";
// The tenant's research setup for operators: provider order, fan-out, cache TTL, domain lists, and
// each provider's credentials (keys are write-only: the page only learns whether one is set).
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { dateTime } from "@/components/ui/format";
import { fieldErrorsFromIssues } from "@/server/validation";
import { researchSettingsSchema } from "@/server/research/schemas";

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function ResearchSettings({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.research.settings.queryOptions());
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.research.pathKey() });
  const saveSettings = useMutation(trpc.research.saveSettings.mutationOptions({ onSuccess: () => (setSaved("Settings saved."), void refresh()) }));
  const saveCredential = useMutation(trpc.research.saveCredential.mutationOptions({ onSuccess: (r) => (setSaved(`Credentials for ${r.provider} saved.`), void refresh()) }));
  const errors = { ...fieldErrorsOf(saveSettings.error), ...clientErrors };

  if (!settings.data) return <p className="muted">Loading settings…</p>;
  const s = settings.data;

  function onSettings(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const parsed = researchSettingsSchema.safeParse({
      chain: list(String(f.get("chain") ?? "")),
      fanOut: Number(f.get("fanOut")),
      cacheTtlSeconds: Number(f.get("cacheTtlSeconds")),
      allowDomains: list(String(f.get("allowDomains") ?? "")),
      denyDomains: list(String(f.get("denyDomains") ?? "")),
      domainWeights: list(String(f.get("domainWeights") ?? "")),
    });
    if (!parsed.success) return setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
    setClientErrors({});
    setSaved(null);
    saveSettings.mutate(parsed.data);
  }

  function onCredential(e: FormEvent<HTMLFormElement>, provider: "searxng" | "brave" | "google" | "duckduckgo" | "bing") {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const endpoint = String(f.get("endpoint") ?? "").trim();
    const secret = String(f.get("secret") ?? "");
    setSaved(null);
    saveCredential.mutate({
      provider,
      endpoint: endpoint || null,
      engineId: String(f.get("engineId") ?? "").trim() || null,
      ...(secret ? { secret } : {}),
    });
  }

  return (
    <div className="card">
      {saved ? <p className="notice">{saved}</p> : null}
      <form className="stack" onSubmit={onSettings} noValidate aria-label="Research settings" style={{ maxWidth: 640 }}>
        <label>
          Provider order (in use: {s.chain.join(" → ")})
          <input name="chain" defaultValue={(s.requestedChain.length ? s.requestedChain : s.chain).join(", ")} disabled={!canWrite} />
          <FieldError errors={errors} name="chain" />
        </label>
        <label>
          Fan-out: query the first K providers in parallel and merge (0 = fall back one by one)
          <input name="fanOut" type="number" min={0} max={6} defaultValue={s.fanOut} disabled={!canWrite} />
          <FieldError errors={errors} name="fanOut" />
        </label>
        <label>
          Cache answers for (seconds)
          <input name="cacheTtlSeconds" type="number" min={0} defaultValue={s.cacheTtlSeconds} disabled={!canWrite} />
          <FieldError errors={errors} name="cacheTtlSeconds" />
        </label>
        <label>
          Trusted domains (ranked higher)
          <input name="allowDomains" defaultValue={s.allowDomains.join(", ")} disabled={!canWrite} />
          <FieldError errors={errors} name="allowDomains" />
        </label>
        <label>
          Blocked domains (dropped)
          <input name="denyDomains" defaultValue={s.denyDomains.join(", ")} disabled={!canWrite} />
          <FieldError errors={errors} name="denyDomains" />
        </label>
        <label>
          Domain weights (domain=weight, 1 = neutral)
          <input name="domainWeights" defaultValue={s.domainWeights.join(", ")} disabled={!canWrite} placeholder="docs.python.org=1.3, forum.example=0.6" />
          <FieldError errors={errors} name="domainWeights" />
        </label>
        {canWrite ? (
          <button type="submit" disabled={saveSettings.isPending || !hydrated}>
            Save research settings
          </button>
        ) : null}
      </form>
      <h3>Provider credentials</h3>
      <table>
        <thead>
          <tr>
            <th>Provider</th>
            <th>Configured by</th>
            <th>Endpoint</th>
            <th>Key</th>
            <th>Updated</th>
            {canWrite ? <th>Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {s.providers.map((p) => (
            <tr key={p.id} data-testid={`provider-${p.id}`}>
              <td>
                {p.id}
                {p.id === "bing" ? <div className="muted">existing contracts only (public API retired August 2025)</div> : null}
              </td>
              <td>{p.source ?? "not configured"}</td>
              <td>{p.endpoint ?? "default"}</td>
              <td>{p.hasSecret ? "set" : "—"}</td>
              <td>{dateTime(p.updatedAt)}</td>
              {canWrite ? (
                <td>
                  <form className="row" onSubmit={(e) => onCredential(e, p.id)} aria-label={`Credentials for ${p.id}`}>
                    <input name="endpoint" placeholder="endpoint URL" defaultValue={p.endpoint ?? ""} aria-label={`${p.id} endpoint`} />
                    {p.id === "google" ? <input name="engineId" placeholder="engine id (cx)" defaultValue={p.engineId ?? ""} aria-label="google engine id" /> : null}
                    {p.id !== "searxng" && p.id !== "duckduckgo" ? (
                      <input name="secret" type="password" autoComplete="off" placeholder={p.hasSecret ? "set — leave blank to keep" : "API key"} aria-label={`${p.id} key`} />
                    ) : null}
                    <button type="submit" className="secondary" disabled={saveCredential.isPending || !hydrated}>
                      Save
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {saveCredential.error ? <p className="error">{saveCredential.error.message}</p> : null}
    </div>
  );
}
