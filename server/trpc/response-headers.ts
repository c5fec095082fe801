// Headers every tRPC HTTP response carries: the request id, no caching, and the IETF RateLimit
// fields (with Retry-After on a 429).
import type { Context } from "./context";
import { mostRestrictive, rateLimitHeaders } from "@/server/security/rate-limit-policy";

export function trpcResponseHeaders(ctx: Context | undefined): Headers {
  const headers = new Headers({ "x-request-id": ctx?.requestId ?? "", "cache-control": "no-store" });
  const decision = mostRestrictive(ctx?.rateLimitDecisions ?? []);
  if (decision) for (const [k, v] of Object.entries(rateLimitHeaders(decision))) headers.set(k, v);
  return headers;
}
