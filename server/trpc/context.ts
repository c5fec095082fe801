// tRPC context: who is calling (session or bearer token), which tenant they selected, and the
// request id that ties logs and audit entries together.
import type { Db, RootDb } from "@/server/db/client";
import type { Principal } from "@/server/auth/principal";
import { resolveApiToken } from "@/server/tokens/service";
import { looksLikeJwt, verifyJwt } from "@/server/auth/jwt";
import { loadUserPrincipal } from "@/server/tenancy/principal-loader";
import { clientIpFrom, parseCookies, requestIdFrom, type HeaderReader } from "@/server/observability/request";
import { RequestLog } from "@/server/observability/logger";
import type { RateLimiter } from "@/server/security/rate-limiter";
import type { LimitDecision } from "@/server/security/rate-limit-policy";

export const TENANT_HEADER = "x-arbiter-tenant";
export const TENANT_COOKIE = "arbiter_tenant";

export interface Context {
  /** The root client; inside tenant procedures, the tenant-scoped transaction (row-level security). */
  db: Db;
  /** The root client, for system records that must survive the request's rollback (security events). */
  rootDb: RootDb;
  principal: Principal | null;
  /** A bearer credential was sent but is unknown, revoked or expired. */
  invalidCredential: boolean;
  /** How the principal authenticated. */
  credential: "session" | "api_token" | "jwt" | null;
  selectedTenantSlug: string | null;
  requestId: string;
  ip: string | null;
  log: RequestLog;
  rateLimiter: RateLimiter;
  /** Rate-limit decisions taken while serving this request, for the response headers. */
  rateLimitDecisions: LimitDecision[];
}

export interface ContextSource {
  db: RootDb;
  headers: HeaderReader;
  /** The signed-in user's id from the session, when there is one. */
  sessionUserId: string | null;
  rateLimiter: RateLimiter;
}

export async function createContext({ db, headers, sessionUserId, rateLimiter }: ContextSource): Promise<Context> {
  const requestId = requestIdFrom(headers);
  const authorization = headers.get("authorization");
  let principal: Principal | null = null;
  let invalidCredential = false;
  let credential: Context["credential"] = null;
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const bearer = authorization.slice(7).trim();
    if (looksLikeJwt(bearer)) {
      const verified = await verifyJwt(db, bearer);
      principal = verified.ok ? verified.principal : null;
      credential = "jwt";
    } else {
      principal = await resolveApiToken(db, bearer);
      credential = "api_token";
    }
    invalidCredential = principal === null;
  } else if (sessionUserId) {
    principal = await loadUserPrincipal(db, sessionUserId);
    credential = "session";
  }
  return {
    db,
    rootDb: db,
    principal,
    invalidCredential,
    credential,
    selectedTenantSlug: headers.get(TENANT_HEADER) ?? parseCookies(headers.get("cookie"))[TENANT_COOKIE] ?? null,
    requestId,
    ip: clientIpFrom(headers),
    log: new RequestLog(requestId),
    rateLimiter,
    rateLimitDecisions: [],
  };
}
