"use client";
// The tenant's working specs: the current version of each, and an editor to add a spec or a new
// version (the spec's id decides which), validated live with lines and the format it is in.
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { useDebounced } from "@/components/ui/use-debounced";
import { dateTime } from "@/components/ui/format";
import { YamlEditor } from "./yaml-editor";

export function SpecLibrary({ canWrite, initial = "" }: { canWrite: boolean; initial?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const specs = useQuery(trpc.constitution.specs.queryOptions());
  const [content, setContent] = useState(initial);
  const settled = useDebounced(content, 300);
  const validation = useQuery({ ...trpc.constitution.validateSpec.queryOptions({ content: settled }), enabled: settled.trim().length > 0 });
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation(
    trpc.constitution.saveSpec.mutationOptions({
      onSuccess: (s) => {
        setMessage(`Saved ${s.specId} version ${s.version} (${s.format} format).`);
        void queryClient.invalidateQueries({ queryKey: trpc.constitution.pathKey() });
      },
    }),
  );
  return (
    <>
      {specs.data && specs.data.length === 0 ? (
        <p className="muted">No specs yet. A task that names a spec is checked against its scope, its risk tier&apos;s budget and gates.</p>
      ) : (
        <table aria-label="Specs">
          <thead>
            <tr>
              <th>Spec</th>
              <th>Title</th>
              <th>Tier</th>
              <th>Format</th>
              <th>Version</th>
              <th>Saved</th>
            </tr>
          </thead>
          <tbody>
            {specs.data?.map((s) => (
              <tr key={s.specId}>
                <td>
                  <Link href={`/constitution/specs/${encodeURIComponent(s.specId)}`}>{s.specId}</Link>
                </td>
                <td>{s.title}</td>
                <td>{s.riskTier}</td>
                <td>
                  {s.format}
                  {s.warningCount ? <span className="badge warn"> {s.warningCount} warning(s)</span> : null}
                </td>
                <td>v{s.version}</td>
                <td>
                  {dateTime(s.createdAt)} by {s.createdByLabel}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite ? (
        <>
          <h2>Add a spec or a new version</h2>
          <YamlEditor
            label="Spec YAML"
            value={content}
            onChange={setContent}
            validation={settled.trim() ? validation.data : undefined}
            emptyHint="Paste a CAWS working spec (current format, or the legacy one with change_budget)."
            save={{ label: "Save spec", onSave: () => save.mutate({ content }), pending: save.isPending, error: save.error }}
            message={message}
          />
        </>
      ) : null}
    </>
  );
}
