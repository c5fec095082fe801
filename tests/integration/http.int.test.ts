// The same router over real HTTP (the production server's tRPC handler on a Node HTTP server), as a
// programmatic client sees it: status codes, error bodies, the request id header.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";
import { encode } from "next-auth/jwt";
import { resolveResponse } from "@trpc/server/http";
import { createTrpcHandler, MAX_BODY_BYTES, sessionUserIdFromCookie } from "@/server/http/trpc-handler";
import { appRouter } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { trpcResponseHeaders } from "@/server/trpc/response-headers";
import { callerFor, makeTenant, testDb, testRateLimiter } from "../helpers";

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // The handler the production server mounts at /api/trpc, on the test database.
  const handler = createTrpcHandler({ db: testDb, rateLimiter: testRateLimiter, sessionUserId: async () => null });
  server = createServer(handler);
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

  it("answers batched calls, as JSON and streamed as JSON lines, each with its own result or error", async () => {
    const { owner } = await makeTenant();
    const { token } = await (await callerFor({ userId: owner.id })).tokens.create({ name: "batch", role: "operator", scopes: ["*"], expiresInDays: 1 });
    const headers = { authorization: `Bearer ${token}` };
    for (const link of [httpBatchLink({ url: baseUrl, transformer: superjson, headers }), httpBatchStreamLink({ url: baseUrl, transformer: superjson, headers })]) {
      const api = createTRPCClient<AppRouter>({ links: [link] });
      const [who, agents, missing] = await Promise.allSettled([
        api.tenant.whoami.query(),
        api.agents.list.query({}),
        api.tasks.get.query({ taskId: "no-such-task" }),
      ]);
      expect(who.status === "fulfilled" && who.value.actor.label).toBe("token:batch");
      expect(agents.status === "fulfilled" && agents.value.items).toEqual([]);
      expect(missing.status === "rejected" && (missing.reason as TRPCClientError<AppRouter>).data?.code).toBe("NOT_FOUND");
    }
    const raw = await fetch(`${baseUrl}/tenant.whoami,tenant.whoami?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`, { headers, redirect: "manual" });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await raw.json()).map((r: { result: { data: { json: { actor: { label: string } } } } }) => r.result.data.json.actor.label)).toEqual(["token:batch", "token:batch"]);
    // The streamed form passes through the handler's streaming path, not the one-shot JSON write.
    const streamed = await fetch(`${baseUrl}/tenant.whoami,tenant.whoami?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`, { headers: { ...headers, "trpc-accept": "application/jsonl" } });
    expect(streamed.headers.get("transfer-encoding")).toBe("chunked");
    const lines = (await streamed.text()).trim().split("\n").map((line) => JSON.parse(line) as unknown);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(lines)).toContain("token:batch");
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

describe("single calls answered without resolveResponse", () => {
  // The handler answers one unbatched JSON query or mutation itself (server/http/trpc-single-call.ts).
  // Each request here goes once over HTTP and once through tRPC's resolveResponse set up as the
  // handler's general path: status, body and headers must be the same.
  async function viaResolveResponse(path: string, init: { method: string; headers: Record<string, string>; body?: string; search?: string }) {
    const headers = new Headers(init.headers);
    const response = await resolveResponse({
      router: appRouter,
      req: new Request(`http://localhost/api/trpc/${path}${init.search ?? ""}`, { method: init.method, headers, body: init.body }),
      path,
      error: null,
      createContext: () => createContext({ db: testDb(), headers, sessionUserId: null, rateLimiter: testRateLimiter() }),
      responseMeta: ({ ctx }) => ({ headers: new Headers(trpcResponseHeaders(ctx)) }),
    });
    return { status: response.status, headers: comparable(response.headers), body: await response.text() };
  }

  async function viaHandler(path: string, init: { method: string; headers: Record<string, string>; body?: string; search?: string }) {
    const response = await fetch(`${baseUrl}/${path}${init.search ?? ""}`, { method: init.method, headers: init.headers, body: init.body });
    return { status: response.status, headers: comparable(response.headers), body: await response.text() };
  }

  /** The headers both answers must share: transport headers dropped, the rate limit's counters masked. */
  function comparable(headers: Headers) {
    const transport = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);
    return Object.fromEntries([...headers].filter(([name]) => !transport.has(name)).map(([name, value]) => [name, value.replace(/r=\d+;t=\d+/, "r=_;t=_")]));
  }

  it("gives the same status, headers and body as resolveResponse for successes, refusals and bad input", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const { token } = await api.tokens.create({ name: "direct", role: "operator", scopes: ["*"], expiresInDays: 1 });
    const { token: readOnly } = await api.tokens.create({ name: "ro", role: "owner", scopes: ["tokens:read"], expiresInDays: 1 });
    await api.agents.register({ name: "direct-agent", modelFamily: "m", capabilities: { taskTypes: [{ name: "code-review" }], languages: [], specializations: [] }, maxConcurrentTasks: 2, tags: [] });
    const auth = (t: string) => ({ authorization: `Bearer ${t}`, "x-request-id": "direct-call-0123456789" });
    const json = { "content-type": "application/json" };
    const query = (input: unknown) => `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const cases: [string, { method: string; headers: Record<string, string>; body?: string; search?: string }][] = [
      ["tenant.whoami", { method: "GET", headers: auth(token) }],
      ["agents.match", { method: "GET", headers: auth(token), search: query({ json: { taskType: "code-review" } }) }],
      ["agents.match", { method: "GET", headers: auth(token), search: query({ json: { taskType: "", minProficiency: 7 } }) }],
      ["agents.match", { method: "GET", headers: auth(token), search: "?input=%7Bnot-json" }],
      ["agents.match", { method: "GET", headers: auth("arb_abcdefgh_0000000000000000000000000000000000000000000"), search: query({ json: { taskType: "x" } }) }],
      ["tenant.me", { method: "GET", headers: { "x-request-id": "direct-call-0123456789" } }],
      ["tokens.create", { method: "POST", headers: { ...auth(token), ...json }, body: JSON.stringify({ json: { name: "", role: "nope", scopes: ["*"], expiresInDays: 1 } }) }],
      ["tokens.create", { method: "POST", headers: { ...auth(token), ...json }, body: "" }],
      ["tokens.create", { method: "POST", headers: { ...auth(readOnly), ...json }, body: JSON.stringify({ json: { name: "x", role: "viewer", scopes: ["*"], expiresInDays: 1 } }) }],
      ["tasks.get", { method: "GET", headers: auth(token), search: query({ json: { taskId: "no-such-task" } }) }],
      // These take the general path in the handler too (wrong method, unknown procedure).
      ["tokens.create", { method: "GET", headers: auth(token) }],
      ["tenant.whoami", { method: "POST", headers: { ...auth(token), ...json }, body: "{}" }],
      ["no.such.procedure", { method: "GET", headers: auth(token) }],
    ];
    const statuses: number[] = [];
    for (const [path, init] of cases) {
      const direct = await viaHandler(path, init);
      expect(direct, `${init.method} ${path}${init.search ?? ""}`).toEqual(await viaResolveResponse(path, init));
      statuses.push(direct.status);
    }
    expect(statuses).toEqual([200, 200, 400, 400, 401, 401, 400, 400, 403, 404, 405, 405, 404]);
    expect(await testDb().apiToken.count({ where: { name: "x", tenantId: (await api.tenant.me()).tenant.id } })).toBe(0);
  });
});

describe("browser calls with next-auth's session cookie", () => {
  const secret = "session-secret-for-the-http-test-0123456789";
  let sessionServer: Server;
  let sessionUrl: string;

  beforeAll(async () => {
    vi.stubEnv("NEXTAUTH_SECRET", secret);
    sessionServer = createServer(createTrpcHandler({ db: testDb, rateLimiter: testRateLimiter, sessionUserId: sessionUserIdFromCookie }));
    await new Promise<void>((resolve) => sessionServer.listen(0, "127.0.0.1", resolve));
    sessionUrl = `http://127.0.0.1:${(sessionServer.address() as AddressInfo).port}/api/trpc`;
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise<void>((resolve) => sessionServer.close(() => resolve()));
  });

  const me = (cookie: string) => fetch(`${sessionUrl}/tenant.me`, { headers: { cookie } });

  it("authenticates the signed-in user, and treats a forged, foreign-key or expired session as anonymous", async () => {
    const { tenant, owner } = await makeTenant();
    const session = await encode({ token: { sub: owner.id }, secret });
    const ok = await me(`theme=dark; next-auth.session-token=${session}`);
    expect(ok.status).toBe(200);
    expect((await ok.json()).result.data.json.tenant.id).toBe(tenant.id);

    const otherKey = await encode({ token: { sub: owner.id }, secret: "another-secret-entirely-0123456789" });
    const expired = await encode({ token: { sub: owner.id }, secret, maxAge: -60 });
    for (const cookie of [`next-auth.session-token=${session.slice(0, -4)}AAAA`, `next-auth.session-token=${otherKey}`, `next-auth.session-token=${expired}`, ""]) {
      expect((await me(cookie)).status).toBe(401);
    }
  });

  it("refuses a body over the size limit with 413 and runs nothing", async () => {
    const { owner } = await makeTenant();
    const session = await encode({ token: { sub: owner.id }, secret });
    const res = await fetch(`${sessionUrl}/members.invite`, {
      method: "POST",
      headers: { cookie: `next-auth.session-token=${session}`, "content-type": "application/json" },
      body: JSON.stringify({ json: { email: "big@example.test", role: "viewer", padding: "x".repeat(MAX_BODY_BYTES) } }),
    });
    expect(res.status).toBe(413);
    expect(await testDb().invitation.count({ where: { email: "big@example.test" } })).toBe(0);
  });
});

