// Short-lived JWTs for programmatic clients, exchanged for an API token. The JWT carries the
// token's tenant, role and scopes; it is refused once its API token is revoked.
import { SignJWT, jwtVerify, errors, type JWTPayload } from "jose";
import type { Db } from "@/server/db/client";
import type { TokenPrincipal } from "./principal";
import { JWT_ALG, signingKeys } from "./jwt-keys";
import type { Role } from "./permissions";

export const JWT_ISSUER = "arbiter";
export const JWT_AUDIENCE = "arbiter-api";
export const JWT_TTL_SECONDS = 15 * 60;

interface ArbiterClaims extends JWTPayload {
  tenant: string;
  role: Role;
  scopes: string[];
  name: string;
  creator: string;
}

export async function issueJwt(principal: TokenPrincipal, now = new Date()): Promise<{ jwt: string; expiresAt: Date }> {
  const keys = await signingKeys();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + JWT_TTL_SECONDS;
  const jwt = await new SignJWT({
    tenant: principal.tenantId,
    role: principal.role,
    scopes: principal.scopes,
    name: principal.tokenName,
    creator: principal.createdById,
  } satisfies Omit<ArbiterClaims, keyof JWTPayload>)
    .setProtectedHeader({ alg: JWT_ALG, kid: keys.current.kid, typ: "JWT" })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setSubject(principal.tokenId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID())
    .sign(keys.current.key);
  return { jwt, expiresAt: new Date(exp * 1000) };
}

export type JwtVerification = { ok: true; principal: TokenPrincipal } | { ok: false; reason: string };

export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(value);
}

/**
 * Verifies signature (ES256 only, by kid), issuer, audience, expiry and not-before, then that the
 * API token it was exchanged for is still valid (revocation list: revoked or expired API tokens).
 */
export async function verifyJwt(db: Db, jwt: string, now = new Date()): Promise<JwtVerification> {
  const keys = await signingKeys();
  let payload: ArbiterClaims;
  try {
    const verified = await jwtVerify<ArbiterClaims>(
      jwt,
      async (header) => {
        const key = header.kid ? keys.verification.get(header.kid) : undefined;
        if (!key) throw new errors.JWKSNoMatchingKey();
        return key;
      },
      { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithms: [JWT_ALG], currentDate: now, requiredClaims: ["sub", "exp", "nbf", "jti"] },
    );
    payload = verified.payload;
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JOSEError ? error.code : "malformed" };
  }
  const token = await db.apiToken.findUnique({ where: { id: payload.sub! }, select: { tenantId: true, revokedAt: true, expiresAt: true } });
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return { ok: false, reason: "ERR_TOKEN_REVOKED" };
  if (token.tenantId !== payload.tenant) return { ok: false, reason: "ERR_TENANT_MISMATCH" };
  return {
    ok: true,
    principal: {
      kind: "token",
      tokenId: payload.sub!,
      tokenName: payload.name,
      tenantId: payload.tenant,
      role: payload.role,
      scopes: payload.scopes,
      createdById: payload.creator,
    },
  };
}
