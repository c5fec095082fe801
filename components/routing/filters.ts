// Routing page filters as they live in the URL.
export function routingFiltersFromParams(params: URLSearchParams) {
  const range = params.get("range");
  return {
    range: range === "7d" || range === "30d" ? range : ("24h" as "24h" | "7d" | "30d"),
    taskType: params.get("taskType") || undefined,
  };
}
