// Audit filters as they live in the URL; shared by the server page (prefetch) and the client table.
const PAGE_SIZE = 25;

/** Filters live in the URL so a filtered view can be shared. */
export function auditFiltersFromParams(params: URLSearchParams) {
  const get = (k: string) => params.get(k) || undefined;
  const cursor = get("cursor");
  return {
    action: get("action"),
    actor: get("actor"),
    from: get("from") ? new Date(`${get("from")}T00:00:00Z`) : undefined,
    to: get("to") ? new Date(new Date(`${get("to")}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    cursor: cursor && /^\d+$/.test(cursor) ? cursor : undefined,
    limit: PAGE_SIZE,
  };
}
