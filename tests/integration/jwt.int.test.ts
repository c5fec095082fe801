// Short-lived JWTs: exchange, use, rotation, and every attack the verifier must refuse.
import { beforeAll, describe, expect, it } from "vitest";
import { SignJWT, UnsecuredJWT, importJWK, type JWK } from "jose";
import { newPrivateJwk } from "@/server/auth/jwt-keys";
import { JWT_AUDIENCE, JWT_ISSUER, issueJwt, verifyJwt } from "@/server/auth/jwt";
import { callerFor, makeTenant, testDb, agentInput } from "../helpers";

let signingJwk: JWK;

beforeAll(async () => {
  signingJwk = await newPrivateJwk();
  process.env.ARBITER_JWT_KEYS = JSON.stringify({ keys: [signingJwk] });
});

async function tokenFor(role: "owner" | "operator" = "operator") {
  const t = await makeTenant();
  const owner = await callerFor({ userId: t.owner.id });
  const created = await owner.tokens.create({ name: "jwt-source", role, scopes: ["*"], expiresInDays: 1 });
  return { ...t, owner, ...created };
}

function b64(obj: unknown) {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

async function sign(claims: Record<string, unknown>, opts: { kid?: string; iss?: string; aud?: string; iat?: number; nbf?: number; exp?: number; key?: JWK } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const jwk = opts.key ?? signingJwk;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: opts.kid ?? jwk.kid })
    .setIssuer(opts.iss ?? JWT_ISSUER)
    .setAudience(opts.aud ?? JWT_AUDIENCE)
    .setIssuedAt(opts.iat ?? now)
    .setNotBefore(opts.nbf ?? now)
    .setExpirationTime(opts.exp ?? now + 600)
    .setJti(crypto.randomUUID())
    .sign(await importJWK(jwk, "ES256"));
}

describe("JWTs for programmatic clients", () => {
  it("exchanges an API token for a JWT that acts with the token's tenant, role and scopes", async () => {
    const { token, tenant } = await tokenFor();
    const viaToken = await callerFor({ bearer: token });
    const { jwt, expiresAt } = await viaToken.tokens.exchange();
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const [header, payload] = jwt.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
    expect(header).toMatchObject({ alg: "ES256", kid: signingJwk.kid });
    expect(payload).toMatchObject({ iss: JWT_ISSUER, aud: JWT_AUDIENCE, tenant: tenant.id, role: "operator", scopes: ["*"] });
    expect(Object.keys(payload)).toEqual(expect.arrayContaining(["sub", "exp", "nbf", "iat", "jti"]));
    const viaJwt = await callerFor({ bearer: jwt });
    expect((await viaJwt.tenant.me()).tenant.id).toBe(tenant.id);
    await viaJwt.agents.register(agentInput({ name: "registered-with-jwt" }));
    // A JWT cannot be exchanged for another one: only the API token can.
    await expect(viaJwt.tokens.exchange()).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses every forged, stale or misused JWT", async () => {
    const { token, apiToken, tenant, owner } = await tokenFor();
    const claims = { tenant: tenant.id, role: "operator", scopes: ["*"], name: "jwt-source", creator: "x", sub: apiToken.id };
    const good = await sign(claims);
    const now = Math.floor(Date.now() / 1000);
    const [h, p, s] = good.split(".");
    const publicJwk = { ...signingJwk, d: undefined };
    const other = await newPrivateJwk();
    const b = await makeTenant();
    const attacks: Record<string, string> = {
      "alg none": new UnsecuredJWT(claims).setIssuer(JWT_ISSUER).setAudience(JWT_AUDIENCE).setExpirationTime("10m").encode(),
      "HS256 signed with the public key": await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: signingJwk.kid })
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setIssuedAt()
        .setNotBefore(now)
        .setExpirationTime("10m")
        .setJti("x")
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
      "unknown kid": await sign(claims, { kid: "not-a-key" }),
      "signed by another key under our kid": await sign(claims, { key: { ...other, kid: signingJwk.kid } }),
      "wrong issuer": await sign(claims, { iss: "someone-else" }),
      "wrong audience": await sign(claims, { aud: "other-api" }),
      expired: await sign(claims, { iat: now - 3600, nbf: now - 3600, exp: now - 60 }),
      "not yet valid": await sign(claims, { nbf: now + 600, exp: now + 1200 }),
      "tampered payload (role raised)": `${h}.${b64({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), role: "owner" })}.${s}`,
      "tampered signature": `${h}.${p}.${s!.slice(0, -4)}AAAA`,
      "claims another tenant": await sign({ ...claims, tenant: b.tenant.id }),
    };
    const results: Record<string, string> = {};
    for (const [name, jwt] of Object.entries(attacks)) {
      const verdict = await verifyJwt(testDb(), jwt);
      results[name] = verdict.ok ? "ACCEPTED" : verdict.reason;
      expect([name, verdict.ok]).toEqual([name, false]);
      await expect((await callerFor({ bearer: jwt })).tenant.whoami()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    // Revoking the API token refuses the JWTs issued for it, at once.
    const issued = (await issueJwt({ kind: "token", tokenId: apiToken.id, tokenName: "jwt-source", tenantId: tenant.id, role: "operator", scopes: ["*"], createdById: "x" })).jwt;
    expect((await verifyJwt(testDb(), issued)).ok).toBe(true);
    await owner.tokens.revoke({ tokenId: apiToken.id });
    const revoked = await verifyJwt(testDb(), issued);
    results["revoked API token's JWT"] = revoked.ok ? "ACCEPTED" : revoked.reason;
    expect(revoked.ok).toBe(false);
    console.log(`[jwt attacks] ${JSON.stringify(results)}`);
    expect(token).toMatch(/^arb_/);
  });

  it("keeps a valid JWT of tenant A inside tenant A, whatever tenant it asks for", async () => {
    const a = await tokenFor();
    const b = await makeTenant();
    const agentB = await (await callerFor({ userId: b.owner.id })).agents.register(agentInput({ name: "b-agent" }));
    const { jwt } = await (await callerFor({ bearer: a.token })).tokens.exchange();
    const caller = await callerFor({ bearer: jwt, tenantSlug: b.tenant.slug });
    expect((await caller.tenant.me()).tenant.id).toBe(a.tenant.id);
    await expect(caller.agents.get({ agentId: agentB.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.agents.setStatus({ agentId: agentB.id, status: "offline" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("accepts tokens of a rotated-out key until it is dropped from the set", async () => {
    const { apiToken, tenant } = await tokenFor();
    const principal = { kind: "token" as const, tokenId: apiToken.id, tokenName: "t", tenantId: tenant.id, role: "operator" as const, scopes: ["*"], createdById: "x" };
    const oldJwt = (await issueJwt(principal)).jwt;
    const fresh = await newPrivateJwk();
    process.env.ARBITER_JWT_KEYS = JSON.stringify({ keys: [fresh, signingJwk] });
    const newJwt = (await issueJwt(principal)).jwt;
    expect(JSON.parse(Buffer.from(newJwt.split(".")[0]!, "base64url").toString()).kid).toBe(fresh.kid);
    expect((await verifyJwt(testDb(), oldJwt)).ok).toBe(true);
    process.env.ARBITER_JWT_KEYS = JSON.stringify({ keys: [fresh] });
    expect(await verifyJwt(testDb(), oldJwt)).toEqual({ ok: false, reason: "ERR_JWKS_NO_MATCHING_KEY" });
    expect((await verifyJwt(testDb(), newJwt)).ok).toBe(true);
    process.env.ARBITER_JWT_KEYS = JSON.stringify({ keys: [signingJwk] });
  });
});
