// Agent list filters as they live in the URL; shared by the server page and the client table.
import { AGENT_STATUSES, type AgentStatus } from "@/server/registry/schemas";

export function agentFiltersFromParams(params: URLSearchParams) {
  const status = params.get("status");
  return {
    status: AGENT_STATUSES.includes(status as AgentStatus) ? (status as AgentStatus) : undefined,
    taskType: params.get("taskType") || undefined,
    tag: params.get("tag") || undefined,
    search: params.get("q") || undefined,
    cursor: params.get("cursor") || undefined,
    includeUnregistered: false,
    limit: 25,
  };
}
