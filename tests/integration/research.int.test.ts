import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { callerFor, makeTenant, testDb } from "../helpers";

let server: Server;
let searxCalls = 0;

beforeAll(async () => {
  // A local SearXNG speaking its JSON format, as the web fallback behind the knowledge base.
  server = createServer((req, res) => {
    searxCalls += 1;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ results: [{ title: "Bulkhead pattern", url: "https://patterns.test/bulkhead?utm_source=x", content: "Isolate resources per caller.", engine: "bing" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.SEARXNG_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.ARBITER_RESEARCH_CHAIN = "local,searxng";
});

afterAll(() => {
  delete process.env.SEARXNG_URL;
  delete process.env.ARBITER_RESEARCH_CHAIN;
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("research on tasks", () => {
  it("attaches findings with provenance to a task that asks for research, from explicit or derived queries", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.knowledge.add({ title: "Rollback runbook", body: "Drain the canary agents, then roll back the release." });
    const { agentInput } = await import("../helpers");
    await api.agents.register(agentInput({ taskTypes: [{ name: "deploy" }] }));

    const submitted = await api.tasks.submit({ taskType: "deploy", payload: { description: "Please roll back the canary release safely" }, research: { deriveFromDescription: true } });
    expect(submitted.research).toBe("pending");
    const attached = await eventually(() => api.tasks.findings({ taskId: submitted.taskId }), (f) => f.status !== "pending");
    expect(attached.status).toBe("done");
    expect(attached.findings[0]).toMatchObject({ query: "roll or back or canary or release or safely", provider: "local", rank: 1, title: "Rollback runbook" });
    expect(attached.findings[0]!.retrievedAt).toBeInstanceOf(Date);

    const explicit = await api.tasks.submit({ taskType: "deploy", research: { queries: ["bulkhead"] } });
    const viaWeb = await eventually(() => api.tasks.findings({ taskId: explicit.taskId }), (f) => f.status !== "pending");
    expect(viaWeb.findings.map((f) => [f.query, f.provider])).toEqual([["bulkhead", "searxng"]]);

    await expect(api.tasks.submit({ taskType: "deploy", research: {} })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("research", () => {
  it("answers from the knowledge base first, falls back to the web provider, and caches answers", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.knowledge.add({ title: "Circuit breakers", body: "Open after consecutive failures." });

    const local = await api.research.query({ query: "circuit breakers" });
    expect(local).toMatchObject({ cached: false, provider: "local" });
    expect(local.results[0]).toMatchObject({ title: "Circuit breakers", provider: "local", rank: 1 });
    expect(local.trail).toEqual([expect.objectContaining({ provider: "local", outcome: "ok" })]);

    const web = await api.research.query({ query: "bulkhead" });
    expect(web.provider).toBe("searxng");
    expect(web.trail.map((t) => [t.provider, t.outcome])).toEqual([
      ["local", "empty"],
      ["searxng", "ok"],
    ]);
    expect(web.results[0]).toMatchObject({ canonicalUrl: "https://patterns.test/bulkhead", quality: "high" });

    const callsBefore = searxCalls;
    const again = await api.research.query({ query: "  Bulkhead " });
    expect(again).toMatchObject({ cached: true, provider: "searxng" });
    expect(searxCalls).toBe(callsBefore);
    const stats = await api.research.cache();
    expect(stats).toMatchObject({ entries: 2, hits: 1 });
    expect(stats.hitRatio).toBeCloseTo(1 / 3);

    // The health panel saw both providers answer.
    const status = await api.research.providers();
    expect(status.map((p) => p.id)).toEqual(["local", "searxng"]);
    expect(status[1]).toMatchObject({ breaker: "closed", failures: 0 });
    expect(status[1]!.calls).toBeGreaterThanOrEqual(1);
    expect(status[1]!.latencyP50Ms).not.toBeNull();

    // An expired entry is not served.
    await testDb().researchCache.updateMany({ where: { tenantId: tenant.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await api.research.query({ query: "bulkhead" })).cached).toBe(false);
  });
});
