import { describe, expect, it } from "vitest";
import { initTRPC, TRPCError } from "@trpc/server";
import { resolveResponse } from "@trpc/server/http";
import { z } from "zod";
import { transformer } from "@/server/trpc/transformer";
import { answerSingleCall, singleCallOf } from "./trpc-single-call";

interface Ctx {
  user: string | null;
}
// isDev off: a development error shape carries the stack, which differs between the two paths.
const t = initTRPC.context<Ctx>().create({ transformer, isDev: false });
const signedIn = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in" });
  return next({ ctx: { user: ctx.user } });
});
const router = t.router({
  hello: signedIn.input(z.object({ name: z.string().min(2) })).query(({ ctx, input }) => ({ greeting: `hello ${input.name}`, by: ctx.user, at: new Date(0) })),
  plain: t.procedure.query(() => [1, "two", null]),
  nested: t.router({ save: signedIn.input(z.number()).mutation(({ input }) => input * 2) }),
  deferred: t.procedure.query(() => ({ later: Promise.resolve(1) })),
  broken: t.procedure.query(() => {
    throw new Error("database on fire");
  }),
  events: t.procedure.subscription(async function* () {
    yield 1;
  }),
});

const json = { "content-type": "application/json" };

function request(method: string, path: string, search = "", headers: Record<string, string> = {}, body?: string) {
  return { method, path, searchParams: new URLSearchParams(search), headers: new Headers(headers), body };
}

describe("singleCallOf", () => {
  it("takes one JSON query by GET and one JSON mutation by POST on an existing procedure", () => {
    expect(singleCallOf(router, request("GET", "hello", "input=%7B%7D"))).toMatchObject({ path: "hello", type: "query", rawInput: "{}" });
    expect(singleCallOf(router, request("GET", "plain", "input="))).toMatchObject({ type: "query", rawInput: undefined });
    expect(singleCallOf(router, request("POST", "nested.save", "", { "content-type": "Application/JSON; charset=utf-8" }, "{}"))).toMatchObject({ type: "mutation", rawInput: "{}" });
  });

  it("leaves batches, streams, other bodies, wrong methods, subscriptions and unknown or encoded paths to resolveResponse", () => {
    const general = [
      request("GET", "hello,plain", "batch=1"),
      request("GET", "hello", "", { "trpc-accept": "application/jsonl" }),
      request("GET", "hello", "", { accept: "application/jsonl" }),
      request("GET", "hello", "connectionParams=%7B%7D"),
      request("POST", "nested.save", "", { "content-type": "multipart/form-data; boundary=x" }, ""),
      request("POST", "nested.save", "", {}, "{}"),
      request("GET", "hello", "", { "content-type": "text/plain" }),
      request("POST", "hello", "", json, "{}"),
      request("GET", "nested.save"),
      request("HEAD", "hello"),
      request("GET", "events"),
      request("GET", "nested"),
      request("GET", "toString"),
      request("GET", "no.such"),
      request("GET", "hel%6Co"),
    ];
    for (const r of general) expect(singleCallOf(router, r), `${r.method} ${r.path}?${r.searchParams}`).toBeNull();
  });
});

describe("answerSingleCall", () => {
  const responseHeaders = (ctx: Ctx | undefined) => ({ "x-user": ctx?.user ?? "" });

  async function bothWays(method: string, path: string, search: string, createContext: () => Promise<Ctx>, body?: string) {
    const req = request(method, path, search, method === "POST" ? json : {}, body);
    const call = singleCallOf(router, req);
    if (!call) throw new Error(`${method} ${path} is not a single call`);
    const direct = await answerSingleCall(call, createContext, responseHeaders);
    const general = await resolveResponse({
      router,
      req: new Request(`http://localhost/${path}?${search}`, { method, headers: req.headers, body }),
      path,
      error: null,
      createContext,
      responseMeta: ({ ctx }) => ({ headers: new Headers(responseHeaders(ctx)) }),
    });
    expect({ status: direct.status, headers: direct.headers, body: direct.body }).toEqual({
      status: general.status,
      headers: Object.fromEntries(general.headers),
      body: await general.text(),
    });
    return direct;
  }

  const as = (user: string | null) => async () => ({ user });
  const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;

  it("answers as resolveResponse does: results through the transformer, errors with their status", async () => {
    const ok = await bothWays("GET", "hello", input({ json: { name: "ada" } }), as("u1"));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ result: { data: { json: { greeting: "hello ada", by: "u1", at: "1970-01-01T00:00:00.000Z" }, meta: { values: { at: ["Date"] }, v: 1 } } } });
    expect((await bothWays("GET", "plain", "", as(null))).body).toBe('{"result":{"data":{"json":[1,"two",null]}}}');
    expect((await bothWays("POST", "nested.save", "", as("u1"), JSON.stringify({ json: 21 }))).body).toBe('{"result":{"data":{"json":42}}}');

    expect((await bothWays("GET", "hello", input({ json: { name: "a" } }), as("u1"))).status).toBe(400);
    expect((await bothWays("GET", "hello", "input=%7B", as("u1"))).status).toBe(400);
    expect((await bothWays("POST", "nested.save", "", as("u1"), "")).status).toBe(400);
    expect((await bothWays("GET", "broken", "", as(null))).status).toBe(500);
    expect((await bothWays("GET", "deferred", "", as(null))).status).toBe(415);
  });

  it("checks the caller before the input, and answers a failing context with its error", async () => {
    const anonymous = await bothWays("GET", "hello", "input=%7B", as(null));
    expect([anonymous.status, JSON.parse(anonymous.body).error.json.message]).toEqual([401, "sign in"]);
    const failing = await bothWays("GET", "plain", "", () => Promise.reject(new TRPCError({ code: "FORBIDDEN", message: "no tenant" })));
    expect([failing.status, failing.headers["x-user"], JSON.parse(failing.body).error.json.message]).toEqual([403, "", "no tenant"]);
  });
});
