// The Decisions page's filters, read from the URL (shared by the server page and the client table).
import type { Verdict } from "@/server/constitution/evaluate";

export const VERDICTS = ["allow", "deny", "needs_waiver"] as const;

export function decisionFiltersFromParams(params: URLSearchParams) {
  const verdict = params.get("verdict");
  const days = Number(params.get("days") ?? 7);
  return {
    verdict: (VERDICTS as readonly string[]).includes(verdict ?? "") ? (verdict as Verdict) : undefined,
    days: [1, 7, 30, 90].includes(days) ? days : 7,
    cursor: params.get("cursor") ?? undefined,
  };
}
