// Zod issues as per-field messages ({"capabilities.taskTypes": ["..."]}), the shape the tRPC error
// formatter sends and the forms show. Pure: shared by server and browser.
export function fieldErrorsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
