// The same router over real HTTP (tRPC's fetch adapter behind a Node HTTP server), as a
// programmatic client sees it: status codes, error bodies, the request id header.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter, type AppRouter } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { trpcResponseHeaders } from "@/server/trpc/response-headers";
import { callerFor, makeTenant, testDb, testRateLimiter } from "../helpers";

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const handler = createHTTPHandler({
    router: appRouter,
    createContext: ({ req }) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      return createContext({ db: testDb(), headers, sessionUserId: null, rateLimiter: testRateLimiter() });
    },
    // The same response headers as the Next.js route handler.
    responseMeta: ({ ctx }) => ({ headers: trpcResponseHeaders(ctx) }),
  });
  server = createServer((req, res) => {
    req.url = req.url?.replace(/^\/api\/trpc/, "");
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(token?: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: baseUrl, transformer: superjson, headers: token ? { authorization: `Bearer ${token}` } : {} })],
  });
}

describe("tRPC over HTTP with API tokens", () => {
  it("sends RateLimit headers on allowed calls, and 429 with Retry-After past the limit", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const { token } = await api.tokens.create({ name: "limited", role: "operator", scopes: ["*"], expiresInDays: 1 });
    await api.security.setRateLimit({ operationClass: "query", perTenant: 100, perPrincipal: 2, windowSeconds: 30 });
    const call = () => fetch(`${baseUrl}/agents.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await call();
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-policy")).toBe('"tenant-query";q=100;w=30, "principal-query";q=2;w=30');
    expect(ok.headers.get("ratelimit")).toMatch(/^"principal-query";r=1;t=\d+$/);
    expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("ratelimit")).toMatch(/^"principal-query";r=0;t=\d+$/);
    expect((await refused.json()).error.json.data.code).toBe("TOO_MANY_REQUESTS");
  });

  it("serves a token-authenticated query and answers 401 without or with a bad token", async () => {
    const { owner } = await makeTenant();
    const { token } = await (await callerFor({ userId: owner.id })).tokens.create({ name: "http", role: "operator", scopes: ["*"], expiresInDays: 1 });
    expect((await client(token).tenant.whoami.query()).actor.label).toBe("token:http");

    const anonymous = await fetch(`${baseUrl}/tenant.me`);
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${baseUrl}/tenant.me`, { headers: { authorization: "Bearer arb_abcdefgh_0000000000000000000000000000000000000000000" } });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.json.message).toMatch(/invalid, revoked or expired/);
  });

  it("answers 400 with field messages for malformed input, 403 for a missing scope, 404 for a foreign id", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const ownerA = await callerFor({ userId: a.owner.id });
    const { token: readOnly } = await ownerA.tokens.create({ name: "ro", role: "owner", scopes: ["tokens:read"], expiresInDays: 1 });
    const { token: full } = await ownerA.tokens.create({ name: "full", role: "owner", scopes: ["*"], expiresInDays: 1 });
    const { apiToken: foreign } = await (await callerFor({ userId: b.owner.id })).tokens.create({ name: "b", role: "viewer", scopes: ["*"], expiresInDays: 1 });

    const bad = await fetch(`${baseUrl}/tokens.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${full}`, "content-type": "application/json" },
      body: JSON.stringify({ json: { name: "", role: "nope", scopes: ["*"], expiresInDays: 1 } }),
    });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(Object.keys(body.error.json.data.fieldErrors).sort()).toEqual(["name", "role"]);

    const denied = await client(readOnly).tokens.create.mutate({ name: "x", role: "viewer", scopes: ["*"], expiresInDays: 1 }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(TRPCClientError);
    expect((denied as TRPCClientError<AppRouter>).data?.httpStatus).toBe(403);

    const missing = await client(full).tokens.revoke.mutate({ tokenId: foreign.id }).catch((e: unknown) => e);
    expect((missing as TRPCClientError<AppRouter>).data?.code).toBe("NOT_FOUND");
    expect((await testDb().apiToken.findUniqueOrThrow({ where: { id: foreign.id } })).revokedAt).toBeNull();
  });

  it("carries the caller's request id into the audit entry", async () => {
    const { tenant, owner } = await makeTenant();
    const { token } = await (await callerFor({ userId: owner.id })).tokens.create({ name: "rid", role: "owner", scopes: ["*"], expiresInDays: 1 });
    const requestId = "test-request-0123456789";
    const res = await fetch(`${baseUrl}/members.invite`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({ json: { email: "rid@example.test", role: "viewer" } }),
    });
    expect(res.status).toBe(200);
    const entry = await testDb().auditEvent.findFirstOrThrow({ where: { chainId: tenant.id, action: "member.invited" } });
    expect(entry).toMatchObject({ requestId, actorLabel: "token:rid", actorType: "token" });
  });
});
