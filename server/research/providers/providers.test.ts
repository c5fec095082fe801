// Every provider against a local HTTP server speaking its wire format: the request is checked
// (path, parameters, auth header) and so are its failures (429 + Retry-After, 5xx, bad JSON, empty).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { bing, brave, duckduckgo, google, searxng } from "./web-providers";
import { ProviderError } from "./types";

type Handler = (req: IncomingMessage, url: URL) => { status?: number; headers?: Record<string, string>; body: string; delayMs?: number };
let server: Server;
let base: string;
const routes = new Map<string, Handler>();
const seen: { path: string; params: Record<string, string>; headers: IncomingMessage["headers"] }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    seen.push({ path: url.pathname, params: Object.fromEntries(url.searchParams), headers: req.headers });
    const handler = routes.get(url.pathname);
    const out: ReturnType<Handler> = handler ? handler(req, url) : { status: 404, body: "{}" };
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(out.status ?? 200, { "content-type": "application/json", ...out.headers });
      res.end(out.body);
    };
    if (out.delayMs) setTimeout(send, out.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const last = () => seen[seen.length - 1]!;
const json = (value: unknown) => ({ body: JSON.stringify(value) });

describe("provider wire formats", () => {
  it("SearXNG: GET /search?format=json", async () => {
    routes.set("/search", () => json({ query: "q", results: [{ title: "Breakers", url: "https://a.test/x", content: "about breakers", engine: "duckduckgo", publishedDate: "2026-01-02" }, { title: "no url" }] }));
    const results = await searxng({ baseUrl: base }).search("circuit breaker", { limit: 5 });
    expect(last()).toMatchObject({ path: "/search", params: { q: "circuit breaker", format: "json", pageno: "1" } });
    expect(results).toEqual([{ title: "Breakers", url: "https://a.test/x", snippet: "about breakers", publishedAt: "2026-01-02", source: "duckduckgo" }]);
  });

  it("Brave: GET /res/v1/web/search with X-Subscription-Token", async () => {
    routes.set("/res/v1/web/search", () => json({ type: "search", web: { results: [{ title: "T", url: "https://b.test", description: "D", page_age: "2026-03-01T00:00:00", profile: { name: "B" } }] } }));
    const results = await brave({ baseUrl: base, apiKey: "brave-key" }).search("q1", { limit: 3 });
    expect(last()).toMatchObject({ path: "/res/v1/web/search", params: { q: "q1", count: "3" } });
    expect(last().headers["x-subscription-token"]).toBe("brave-key");
    expect(results[0]).toMatchObject({ title: "T", url: "https://b.test", snippet: "D", source: "B" });
  });

  it("Google Programmable Search: GET /customsearch/v1 with key and cx", async () => {
    routes.set("/customsearch/v1", () => json({ kind: "customsearch#search", items: [{ title: "G", link: "https://g.test/p", snippet: "S", displayLink: "g.test" }] }));
    const results = await google({ baseUrl: base, apiKey: "g-key", cx: "engine-1" }).search("q2", { limit: 20 });
    expect(last()).toMatchObject({ path: "/customsearch/v1", params: { key: "g-key", cx: "engine-1", q: "q2", num: "10" } });
    expect(results).toEqual([{ title: "G", url: "https://g.test/p", snippet: "S", publishedAt: null, source: "g.test" }]);
  });

  it("DuckDuckGo Instant Answer: abstract plus nested related topics", async () => {
    routes.set("/", () =>
      json({
        Heading: "Circuit breaker",
        AbstractText: "A circuit breaker is a design pattern.",
        AbstractURL: "https://en.wikipedia.org/wiki/Circuit_breaker_design_pattern",
        AbstractSource: "Wikipedia",
        Results: [],
        RelatedTopics: [{ Text: "Retry pattern - retrying failed calls", FirstURL: "https://duckduckgo.com/Retry" }, { Name: "See also", Topics: [{ Text: "Bulkhead - isolation", FirstURL: "https://duckduckgo.com/Bulkhead" }] }],
      }),
    );
    const results = await duckduckgo({ baseUrl: base }).search("circuit breaker", { limit: 10 });
    expect(last()).toMatchObject({ path: "/", params: { q: "circuit breaker", format: "json", no_html: "1", skip_disambig: "1" } });
    expect(results.map((r) => r.title)).toEqual(["Circuit breaker", "Retry pattern", "Bulkhead"]);
  });

  it("Bing v7 (existing contract endpoint): GET /v7.0/search with Ocp-Apim-Subscription-Key", async () => {
    routes.set("/v7.0/search", () => json({ _type: "SearchResponse", webPages: { value: [{ name: "Bing hit", url: "https://bing.test", snippet: "S", dateLastCrawled: "2026-05-01T00:00:00Z" }] } }));
    const results = await bing({ baseUrl: base, apiKey: "bing-key" }).search("q3", { limit: 5 });
    expect(last().headers["ocp-apim-subscription-key"]).toBe("bing-key");
    expect(last()).toMatchObject({ path: "/v7.0/search", params: { q: "q3", count: "5" } });
    expect(results[0]).toMatchObject({ title: "Bing hit", publishedAt: "2026-05-01T00:00:00Z" });
    expect(() => bing({ apiKey: "k" })).toThrow(/retired in August 2025/);
  });
});

describe("provider failures", () => {
  const failing = (status: number, body: string, headers: Record<string, string> = {}) => () => ({ status, body, headers });
  const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ProviderError);

  it("turns 429 + Retry-After, 5xx, 401, bad JSON and a wrong shape into typed errors", async () => {
    const b = brave({ baseUrl: base, apiKey: "k" });
    routes.set("/res/v1/web/search", failing(429, '{"type":"ErrorResponse"}', { "retry-after": "7" }));
    expect(await errorOf(b.search("q", { limit: 1 }))).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000, retryable: true });
    routes.set("/res/v1/web/search", failing(503, "{}"));
    expect(await errorOf(b.search("q", { limit: 1 }))).toMatchObject({ kind: "server_error", retryable: true });
    routes.set("/res/v1/web/search", failing(401, "{}"));
    expect(await errorOf(b.search("q", { limit: 1 }))).toMatchObject({ kind: "auth", retryable: false });
    routes.set("/res/v1/web/search", failing(200, "<html>not json"));
    expect(await errorOf(b.search("q", { limit: 1 }))).toMatchObject({ kind: "malformed" });
    routes.set("/search", () => json({ unexpected: true }));
    expect(await errorOf(searxng({ baseUrl: base }).search("q", { limit: 1 }))).toMatchObject({ kind: "malformed" });
  });

  it("gives up on a provider that does not answer within the timeout", async () => {
    const { resilient } = await import("../resilience");
    const { searchWithFallback } = await import("../chain");
    routes.set("/search", () => ({ body: "{}", delayMs: 2000 }));
    const r = await searchWithFallback([resilient(searxng({ baseUrl: base }), { timeoutMs: 100, maxAttempts: 1 })], "slow", 5);
    expect(r.trail[0]).toMatchObject({ provider: "searxng", outcome: "failed", reason: "timed out" });
    expect(r.trail[0]!.latencyMs).toBeLessThan(1000);
  });

  it("returns an empty list for an empty answer", async () => {
    routes.set("/customsearch/v1", () => json({ kind: "customsearch#search", searchInformation: { totalResults: "0" } }));
    expect(await google({ baseUrl: base, apiKey: "k", cx: "c" }).search("nothing", { limit: 5 })).toEqual([]);
  });
});
