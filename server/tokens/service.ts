// API tokens: created and revoked by owners/operators, resolved on every programmatic request.
import type { Db } from "@/server/db/client";
import { withAudit, type AuditActor } from "@/server/audit/service";
import { Forbidden, NotFound } from "@/server/errors";
import { invalidate, onInvalidation } from "@/server/db/cache-invalidation";
import { canGrantRole, type Role } from "@/server/auth/permissions";
import type { TokenPrincipal } from "@/server/auth/principal";
import { generateTokenSecret, hashTokenSecret, looksLikeApiToken } from "./secret";

export interface CreateTokenInput {
  tenantId: string;
  name: string;
  role: Role;
  scopes: string[];
  expiresAt: Date | null;
}

export interface Caller {
  actor: AuditActor;
  role: Role;
  /** The user on whose behalf the token is created (a token creating a token inherits its creator). */
  userId: string;
  requestId: string | null;
}

export async function createApiToken(db: Db, caller: Caller, input: CreateTokenInput, now = new Date()) {
  if (!canGrantRole(caller.role, input.role)) {
    throw new Forbidden(`A ${caller.role} cannot create a token with the ${input.role} role`, {
      role: [`At most ${caller.role}`],
    });
  }
  const { token, prefix, tokenHash } = generateTokenSecret();
  const created = await withAudit(db, async (tx) => {
    const row = await tx.apiToken.create({
      data: { ...input, prefix, tokenHash, createdById: caller.userId },
    });
    return {
      result: row,
      audit: {
        tenantId: input.tenantId,
        actor: caller.actor,
        action: "api_token.created",
        target: { type: "api_token", id: row.id },
        summary: { after: { name: row.name, prefix, role: row.role, scopes: row.scopes, expiresAt: row.expiresAt } },
        requestId: caller.requestId,
        now,
      },
    };
  });
  // The secret is returned exactly once, here; it is not recoverable afterwards.
  return { token, apiToken: toView(created, now) };
}

export async function listApiTokens(db: Db, tenantId: string, now = new Date()) {
  const rows = await db.apiToken.findMany({
    where: { tenantId },
    orderBy: { createdAt: "desc" },
    include: { createdBy: { select: { email: true } } },
  });
  return rows.map((r) => ({ ...toView(r, now), createdBy: r.createdBy.email }));
}

export async function revokeApiToken(db: Db, caller: Caller, tenantId: string, tokenId: string, now = new Date()) {
  const revoked = await withAudit(db, async (tx) => {
    // Scoped by tenant: another tenant's token id is indistinguishable from a missing one.
    const existing = await tx.apiToken.findFirst({ where: { id: tokenId, tenantId } });
    if (!existing) throw new NotFound("API token not found");
    const row = existing.revokedAt ? existing : await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now } });
    return {
      result: toView(row, now),
      audit: {
        tenantId,
        actor: caller.actor,
        action: "api_token.revoked",
        target: { type: "api_token", id: tokenId },
        summary: { before: { revokedAt: existing.revokedAt }, after: { revokedAt: row.revokedAt }, name: row.name },
        requestId: caller.requestId,
        now,
      },
    };
  });
  invalidate("token", tokenId);
  return revoked;
}

// Resolved tokens are kept for a few seconds per process, so a busy client costs one lookup per
// TOKEN_CACHE_MS rather than one per request. Revoking takes effect at once in this process and, as
// soon as they hear of it (cache-invalidation.ts), in the others; at the latest after TOKEN_CACHE_MS.
export const TOKEN_CACHE_MS = 5_000;
const tokenCache = new Map<string, { until: number; expiresAt: Date | null; principal: TokenPrincipal }>();

onInvalidation("token", (tokenId) => {
  if (tokenId === "*") tokenCache.clear();
  else for (const [hash, entry] of tokenCache) if (entry.principal.tokenId === tokenId) tokenCache.delete(hash);
});

/** Resolves a bearer token to its principal, or null when it is unknown, revoked or expired. */
export async function resolveApiToken(db: Db, bearer: string, now = new Date()): Promise<TokenPrincipal | null> {
  if (!looksLikeApiToken(bearer)) return null;
  const tokenHash = hashTokenSecret(bearer);
  const cached = tokenCache.get(tokenHash);
  if (cached && cached.until > now.getTime() && (!cached.expiresAt || cached.expiresAt > now)) return cached.principal;
  tokenCache.delete(tokenHash);
  const row = await db.apiToken.findUnique({ where: { tokenHash } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  // last-used is kept to the minute: one write per token per minute, not one per request.
  await db.$executeRaw`UPDATE api_tokens SET "lastUsedAt" = ${now}
    WHERE id = ${row.id} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${new Date(now.getTime() - 60_000)})`;
  const principal: TokenPrincipal = {
    kind: "token",
    tokenId: row.id,
    tokenName: row.name,
    tenantId: row.tenantId,
    role: row.role,
    scopes: row.scopes,
    createdById: row.createdById,
  };
  tokenCache.set(tokenHash, { until: now.getTime() + TOKEN_CACHE_MS, expiresAt: row.expiresAt, principal });
  return principal;
}

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
};

function toView(r: TokenRow, now: Date) {
  const status = r.revokedAt ? "revoked" : r.expiresAt && r.expiresAt <= now ? "expired" : "active";
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    role: r.role,
    scopes: r.scopes,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    lastUsedAt: r.lastUsedAt,
    createdAt: r.createdAt,
    status: status as "active" | "revoked" | "expired",
  };
}
