// Validation issues of a YAML document: errors and warnings apart, each with its line and path.
interface Issue {
  path: string;
  line: number | null;
  message: string;
}

export function YamlIssues({ errors, warnings, format }: { errors: Issue[]; warnings: Issue[]; format?: string | null }) {
  return (
    <div data-testid="yaml-issues">
      {format ? <p className="muted">Format: {format === "legacy" ? "legacy CAWS spec (with change_budget)" : "current CAWS spec"}</p> : null}
      {errors.length === 0 ? (
        <p className="badge ok">No errors</p>
      ) : (
        <>
          <h3 className="error">
            {errors.length} error{errors.length === 1 ? "" : "s"}
          </h3>
          <ul className="issues" aria-label="Errors">
            {errors.map((e, i) => (
              <li key={i} className="error">
                line {e.line ?? "?"} <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {warnings.length > 0 ? (
        <>
          <h3>
            {warnings.length} warning{warnings.length === 1 ? "" : "s"}
          </h3>
          <ul className="issues" aria-label="Warnings">
            {warnings.map((w, i) => (
              <li key={i}>
                line {w.line ?? "?"} <code>{w.path}</code>: {w.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
