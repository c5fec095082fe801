// Headers every tRPC HTTP response carries: the request id, no caching, and the IETF RateLimit
// fields (with Retry-After on a 429). Names in lower case, as a web Headers object gives them.
import type { Context } from "./context";
import { mostRestrictive, rateLimitHeaders } from "@/server/security/rate-limit-policy";

export function trpcResponseHeaders(ctx: Context | undefined): Record<string, string> {
  const headers = { "x-request-id": ctx?.requestId ?? "", "cache-control": "no-store" };
  const decision = mostRestrictive(ctx?.rateLimitDecisions ?? []);
  return decision ? { ...headers, ...rateLimitHeaders(decision) } : headers;
}
