// Rate-limit classes, defaults and the IETF RateLimit header fields. Pure.
import { z } from "zod";

export const OPERATION_CLASSES = ["submit", "query", "admin", "research"] as const;
export type OperationClass = (typeof OPERATION_CLASSES)[number];

export interface LimitSetting {
  perTenant: number;
  perPrincipal: number;
  windowSeconds: number;
}

/** Per minute. A fleet routing ~1,000 tasks/s fits the tenant defaults; one client gets half. */
export const DEFAULT_LIMITS: Record<OperationClass, LimitSetting> = {
  submit: { perTenant: 60_000, perPrincipal: 30_000, windowSeconds: 60 },
  query: { perTenant: 120_000, perPrincipal: 60_000, windowSeconds: 60 },
  admin: { perTenant: 6_000, perPrincipal: 3_000, windowSeconds: 60 },
  research: { perTenant: 600, perPrincipal: 300, windowSeconds: 60 },
};

export const limitSettingSchema = z.object({
  operationClass: z.enum(OPERATION_CLASSES),
  perTenant: z.number().int("A whole number").min(1, "At least 1").max(10_000_000),
  perPrincipal: z.number().int("A whole number").min(1, "At least 1").max(10_000_000),
  windowSeconds: z.number().int("A whole number").min(1, "At least 1 s").max(86_400, "At most a day"),
});

export interface LimitDecision {
  allowed: boolean;
  /** Which limit is closest to (or over) its bound. */
  scope: "tenant" | "principal";
  operationClass: OperationClass;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  windowSeconds: number;
  /** The other limit, for the policy header. */
  policies: { scope: "tenant" | "principal"; limit: number; windowSeconds: number }[];
  /** True for the first refusal in a window (audited once, not per request). */
  firstRefusal: boolean;
}

/** draft-ietf-httpapi-ratelimit-headers: RateLimit-Policy and RateLimit as structured fields (names
 *  in lower case, as HTTP/2 and web Headers objects carry them). */
export function rateLimitHeaders(d: LimitDecision): Record<string, string> {
  const name = (scope: string) => `"${scope}-${d.operationClass}"`;
  const headers: Record<string, string> = {
    "ratelimit-policy": d.policies.map((p) => `${name(p.scope)};q=${p.limit};w=${p.windowSeconds}`).join(", "),
    ratelimit: `${name(d.scope)};r=${d.remaining};t=${d.resetSeconds}`,
  };
  if (!d.allowed) headers["retry-after"] = String(Math.max(1, d.resetSeconds));
  return headers;
}

/** Of several decisions in one (batched) HTTP request, the one to report: a refusal, else the least remaining. */
export function mostRestrictive(decisions: readonly LimitDecision[]): LimitDecision | null {
  let worst: LimitDecision | null = null;
  for (const d of decisions) {
    if (!worst || (!d.allowed && worst.allowed) || (d.allowed === worst.allowed && d.remaining < worst.remaining)) worst = d;
  }
  return worst;
}
