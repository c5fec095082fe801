"use client";
// A YAML document editor beside its live validation, with a save button that waits for a valid
// document; shared by the policy and the spec editors.
import type { ReactNode } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { fieldErrorsOf } from "@/components/ui/field-errors";
import { YamlIssues } from "./yaml-issues";

interface Issue {
  path: string;
  line: number | null;
  message: string;
}

export function YamlEditor(props: {
  label: string;
  heading?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  validation: { valid: boolean; errors: Issue[]; warnings: Issue[]; format?: string | null } | undefined;
  emptyHint: string;
  /** Omitted: read-only, with this note instead of the button. */
  save?: { label: string; onSave: () => void; pending: boolean; error: unknown };
  readOnlyNote?: string;
  message: string | null;
}) {
  const hydrated = useHydrated();
  const { save, validation } = props;
  const saveErrors = save ? fieldErrorsOf(save.error).content : undefined;
  return (
    <div className="split">
      <div className="card">
        {props.heading}
        <label>
          {props.label}
          <textarea className="yaml" wrap="off" value={props.value} onChange={(e) => props.onChange(e.target.value)} spellCheck={false} readOnly={!save} aria-label={props.label} />
        </label>
        {save ? (
          <label style={{ marginTop: "0.5rem" }}>
            Load {props.label} from a file
            <input
              type="file"
              accept=".yaml,.yml,text/yaml,application/yaml"
              disabled={!hydrated}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void file.text().then(props.onChange);
              }}
            />
          </label>
        ) : null}
        {save ? (
          <button type="button" style={{ marginTop: "0.75rem" }} disabled={!hydrated || save.pending || !validation?.valid} onClick={save.onSave}>
            {save.label}
          </button>
        ) : (
          <p className="muted">{props.readOnlyNote}</p>
        )}
        {saveErrors ? <p className="error">{saveErrors.join(" ")}</p> : save?.error instanceof Error ? <p className="error">{save.error.message}</p> : null}
        {props.message ? (
          <p className="notice" role="status">
            {props.message}
          </p>
        ) : null}
      </div>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>Validation</h2>
        {!props.value.trim() ? (
          <p className="muted">{props.emptyHint}</p>
        ) : validation ? (
          <YamlIssues errors={validation.errors} warnings={validation.warnings} format={validation.format} />
        ) : (
          <p className="muted">Checking…</p>
        )}
      </div>
    </div>
  );
}
