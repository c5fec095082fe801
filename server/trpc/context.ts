// tRPC context: who is calling (session or bearer token), which tenant they selected, and the
// request id that ties logs and audit entries together.
import type { Db } from "@/server/db/client";
import type { Principal } from "@/server/auth/principal";
import { resolveApiToken } from "@/server/tokens/service";
import { loadUserPrincipal } from "@/server/tenancy/principal-loader";
import { clientIpFrom, requestIdFrom } from "@/server/observability/request";
import { logger } from "@/server/observability/logger";
import type { RateLimiter } from "@/server/security/rate-limiter";
import type { LimitDecision } from "@/server/security/rate-limit-policy";

export const TENANT_HEADER = "x-arbiter-tenant";
export const TENANT_COOKIE = "arbiter_tenant";

export interface Context {
  db: Db;
  principal: Principal | null;
  /** A bearer credential was sent but is unknown, revoked or expired. */
  invalidCredential: boolean;
  selectedTenantSlug: string | null;
  requestId: string;
  ip: string | null;
  log: typeof logger;
  rateLimiter: RateLimiter;
  /** Rate-limit decisions taken while serving this request, for the response headers. */
  rateLimitDecisions: LimitDecision[];
}

export interface ContextSource {
  db: Db;
  headers: Headers;
  /** The signed-in user's id from the session, when there is one. */
  sessionUserId: string | null;
  rateLimiter: RateLimiter;
}

export async function createContext({ db, headers, sessionUserId, rateLimiter }: ContextSource): Promise<Context> {
  const requestId = requestIdFrom(headers);
  const authorization = headers.get("authorization");
  let principal: Principal | null = null;
  let invalidCredential = false;
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    principal = await resolveApiToken(db, authorization.slice(7).trim());
    invalidCredential = principal === null;
  } else if (sessionUserId) {
    principal = await loadUserPrincipal(db, sessionUserId);
  }
  return {
    db,
    principal,
    invalidCredential,
    selectedTenantSlug: headers.get(TENANT_HEADER) ?? cookieValue(headers.get("cookie"), TENANT_COOKIE),
    requestId,
    ip: clientIpFrom(headers),
    log: logger.child({ requestId }),
    rateLimiter,
    rateLimitDecisions: [],
  };
}

function cookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}
