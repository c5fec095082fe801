// Task list filters as they live in the URL.
import { TASK_STATUSES } from "@/server/routing/task-schemas";

export function taskFiltersFromParams(params: URLSearchParams) {
  const status = params.get("status");
  return {
    status: (TASK_STATUSES as readonly string[]).includes(status ?? "") ? (status as (typeof TASK_STATUSES)[number]) : undefined,
    type: params.get("type") || undefined,
    cursor: params.get("cursor") || undefined,
    limit: 25,
  };
}
