"use client";
// "What would happen if": evaluate a task type + spec + change against the active policy (or any
// saved version) without creating a task or recording anything.
import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { fieldErrorsFromIssues } from "@/server/validation";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { dryRunSchema, type DryRunInput } from "@/server/constitution/schemas";
import { EvaluationView } from "./evaluation-view";

const tri = (v: FormDataEntryValue | null) => (v === "yes" ? true : v === "no" ? false : undefined);
const num = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? undefined : Number(v));

function TriState({ name, label }: { name: string; label: string }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue="">
        <option value="">not reported</option>
        <option value="yes">passed</option>
        <option value="no">failed</option>
      </select>
    </label>
  );
}

export function DryRunForm() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const specs = useQuery(trpc.constitution.specs.queryOptions());
  const versions = useQuery(trpc.constitution.policyVersions.queryOptions());
  const [input, setInput] = useState<DryRunInput | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const result = useQuery({ ...trpc.constitution.dryRun.queryOptions(input ?? { taskType: "x" }), enabled: input !== null });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const files = String(f.get("files") ?? "")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const withChange = files.length > 0 || num(f.get("linesAdded")) !== undefined;
    const scan = f.get("securityScan");
    const parsed = dryRunSchema.safeParse({
      taskType: f.get("taskType"),
      specId: String(f.get("specId") ?? "") || undefined,
      policyVersionId: String(f.get("policyVersionId") ?? "") || undefined,
      change: withChange
        ? {
            files,
            linesAdded: num(f.get("linesAdded")) ?? 0,
            linesRemoved: num(f.get("linesRemoved")) ?? 0,
            evidence: {
              coverage: num(f.get("coverage")),
              mutationScore: num(f.get("mutationScore")),
              testsPassed: tri(f.get("testsPassed")),
              lintPassed: tri(f.get("lintPassed")),
              securityScan: scan === "yes" ? "pass" : scan === "no" ? "fail" : undefined,
              contractTestsPassed: tri(f.get("contractTestsPassed")),
              manualReview: tri(f.get("manualReview")),
            },
          }
        : undefined,
    });
    if (!parsed.success) {
      setErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setErrors({});
    setInput(parsed.data);
  }

  const shownErrors = { ...fieldErrorsOf(result.error), ...errors };
  return (
    <div className="stack" style={{ maxWidth: "none" }}>
      <form className="card stack" onSubmit={onSubmit} noValidate aria-label="Dry run">
        <label>
          Task type
          <input name="taskType" defaultValue="code-review" required />
          <FieldError errors={shownErrors} name="taskType" />
        </label>
        <label>
          Spec
          <select name="specId" defaultValue="">
            <option value="">no spec</option>
            {specs.data?.map((s) => (
              <option key={s.specId} value={s.specId}>
                {s.specId} (tier {s.riskTier})
              </option>
            ))}
          </select>
        </label>
        <label>
          Files touched (one path per line)
          <textarea name="files" rows={5} placeholder="src/billing/retry.ts" />
          <FieldError errors={shownErrors} name="change.files" />
        </label>
        <div className="pair">
          <label>
            Lines added
            <input name="linesAdded" type="number" min={0} />
            <FieldError errors={shownErrors} name="change.linesAdded" />
          </label>
          <label>
            Lines removed
            <input name="linesRemoved" type="number" min={0} />
            <FieldError errors={shownErrors} name="change.linesRemoved" />
          </label>
        </div>
        <div className="pair">
          <label>
            Coverage (0..1)
            <input name="coverage" type="number" step="0.01" min={0} max={1} />
            <FieldError errors={shownErrors} name="change.evidence.coverage" />
          </label>
          <label>
            Mutation score (0..1)
            <input name="mutationScore" type="number" step="0.01" min={0} max={1} />
            <FieldError errors={shownErrors} name="change.evidence.mutationScore" />
          </label>
        </div>
        <TriState name="testsPassed" label="Tests" />
        <TriState name="lintPassed" label="Lint" />
        <TriState name="securityScan" label="Security scan" />
        <TriState name="contractTestsPassed" label="Contract tests" />
        <TriState name="manualReview" label="Manual review" />
        <label>
          Policy
          <select name="policyVersionId" defaultValue="">
            <option value="">the active policy</option>
            {versions.data?.versions.map((v) => (
              <option key={v.id} value={v.id}>
                version {v.version}
                {v.id === versions.data.activeVersionId ? " (active)" : ""}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!hydrated || result.isFetching}>
          Evaluate
        </button>
        {result.error && !Object.keys(fieldErrorsOf(result.error)).length ? <p className="error">{result.error.message}</p> : null}
      </form>
      <div className="card" data-testid="dry-run-result">
        {!input ? (
          <p className="muted">Nothing is recorded: no task is created and no decision is written.</p>
        ) : result.data ? (
          <>
            <p className="muted">Against {result.data.policyVersion ? `policy version ${result.data.policyVersion}` : "the built-in default policy"}</p>
            <EvaluationView e={result.data} />
          </>
        ) : (
          <p className="muted">Evaluating…</p>
        )}
      </div>
    </div>
  );
}
