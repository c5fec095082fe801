"use client";
// The tenant's policy: edit YAML with live validation, save a new version, compare versions, preview
// a version's impact on recent decisions, and activate it (a separate, audited step).
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { useDebounced } from "@/components/ui/use-debounced";
import { useHydrated } from "@/components/ui/use-hydrated";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { dateTime } from "@/components/ui/format";
import { YamlEditor } from "./yaml-editor";
import { DiffView } from "./diff-view";
import { ImpactPreview } from "./impact-preview";

export function PolicyEditor({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.constitution.policyVersions.queryOptions());
  const activeId = versions.data?.activeVersionId ?? null;
  const active = useQuery({ ...trpc.constitution.policyVersion.queryOptions({ id: activeId ?? "" }), enabled: !!activeId });
  const [content, setContent] = useState<string | null>(null);
  const baseline = activeId ? active.data?.content : versions.data?.defaultContent;
  // Until the operator edits it, the editor shows the active policy (or the built-in defaults).
  const text = content ?? baseline ?? "";
  const settled = useDebounced(text, 300);
  const validation = useQuery({ ...trpc.constitution.validatePolicy.queryOptions({ content: settled }), enabled: settled.length > 0 });
  const [shown, setShown] = useState<{ kind: "diff" | "impact"; id: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.constitution.pathKey() });
  const save = useMutation(
    trpc.constitution.savePolicy.mutationOptions({
      onSuccess: (v) => {
        setMessage(`Saved version ${v.version}. It is not active until you activate it.`);
        setShown({ kind: "impact", id: v.id });
        void invalidate();
      },
    }),
  );
  const activate = useMutation(
    trpc.constitution.activatePolicy.mutationOptions({
      onSuccess: (r) => {
        setMessage(`Version ${r.version} is active. ${r.reevaluated.evaluated} waiting task(s) re-evaluated, ${r.reevaluated.assigned} assigned.`);
        void invalidate();
      },
    }),
  );
  const diff = useQuery({
    ...trpc.constitution.policyDiff.queryOptions({ from: activeId ?? "default", to: shown?.id ?? "" }),
    enabled: shown?.kind === "diff",
  });

  return (
    <>
      <YamlEditor
        label="Policy YAML"
        heading={<h2 style={{ marginTop: 0 }}>{activeId ? `Active policy: version ${active.data?.version ?? "…"}` : "Active policy: built-in defaults"}</h2>}
        value={text}
        onChange={setContent}
        validation={validation.data}
        emptyHint="Paste a policy (CAWS policy.v1 with Arbiter's extensions)."
        save={canWrite ? { label: "Save as new version", onSave: () => save.mutate({ content: text }), pending: save.isPending, error: save.error } : undefined}
        readOnlyNote="Your role can read the policy but not change it."
        message={message}
      />

      <h2>Versions</h2>
      {versions.data && versions.data.versions.length === 0 ? (
        <p className="muted">No policy saved yet: the built-in defaults apply (shown in the editor).</p>
      ) : (
        <table aria-label="Policy versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>Content hash</th>
              <th>Saved</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.data?.versions.map((v) => (
              <tr key={v.id} data-testid={`policy-version-${v.version}`}>
                <td>v{v.version}</td>
                <td>
                  <code title={v.contentHash}>{v.contentHash.slice(0, 12)}</code>
                </td>
                <td>
                  {dateTime(v.createdAt)} by {v.createdByLabel}
                </td>
                <td>{v.id === activeId ? <span className="badge ok">active</span> : v.activatedAt ? <span className="badge">was active</span> : <span className="badge">draft</span>}</td>
                <td style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
                  <button type="button" className="secondary" disabled={!hydrated} onClick={() => setShown({ kind: "diff", id: v.id })}>
                    Diff vs active
                  </button>
                  <button type="button" className="secondary" disabled={!hydrated} onClick={() => setShown({ kind: "impact", id: v.id })}>
                    Preview impact
                  </button>
                  {canWrite && v.id !== activeId ? (
                    <ConfirmButton question={`Activate policy version ${v.version}? Every task from now on is checked against it.`} disabled={!hydrated || activate.isPending} onConfirm={() => activate.mutate({ id: v.id })}>
                      Activate v{v.version}
                    </ConfirmButton>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {activate.error ? <p className="error">{activate.error.message}</p> : null}
      {shown?.kind === "diff" && diff.data ? (
        <>
          <h2>Diff</h2>
          <DiffView {...diff.data} />
        </>
      ) : null}
      {shown?.kind === "impact" ? <ImpactPreview policyVersionId={shown.id} /> : null}
    </>
  );
}
