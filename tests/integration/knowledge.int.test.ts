import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { HIGHLIGHT_END, HIGHLIGHT_START } from "@/server/research/highlight";
import { addUser, callerFor, makeTenant } from "../helpers";

let server: Server;
let base: string;

beforeAll(async () => {
  // A local web server standing in for the pages operators import.
  server = createServer((req, res) => {
    if (req.url === "/runbook.html") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(`<html><head><title>Deploy &amp; rollback runbook</title><style>.x{}</style><script>alert(1)</script></head>
        <body><h1>Rollback</h1><p>To roll back a canary, drain the agent pool first.</p></body></html>`);
    } else if (req.url === "/image.png") {
      res.setHeader("content-type", "image/png");
      res.end(Buffer.from([137, 80, 78, 71]));
    } else {
      res.statusCode = 404;
      res.end("missing");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("knowledge base (Postgres full-text search)", () => {
  it("ranks title matches above body matches, highlights the terms, and understands web search syntax", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.knowledge.add({ title: "Circuit breakers", body: "Open after consecutive failures; a half-open probe closes them on success." });
    await api.knowledge.add({ title: "Retry policy", body: "Exponential backoff with jitter. A circuit breaker stops retries when a provider keeps failing." });
    await api.knowledge.add({ title: "Unrelated", body: "Agents register their capabilities." });

    const hits = await api.knowledge.search({ query: "circuit breaker" });
    expect(hits.map((h) => h.title)).toEqual(["Circuit breakers", "Retry policy"]);
    expect(hits[0]!.rank).toBeGreaterThan(hits[1]!.rank);
    expect(hits[1]!.snippet).toContain(`${HIGHLIGHT_START}circuit${HIGHLIGHT_END}`);
    expect(hits[1]!.snippet).toContain(`${HIGHLIGHT_START}breaker${HIGHLIGHT_END}`);

    expect((await api.knowledge.search({ query: '"half-open probe"' })).map((h) => h.title)).toEqual(["Circuit breakers"]);
    expect((await api.knowledge.search({ query: "breaker -retries" })).map((h) => h.title)).toEqual(["Circuit breakers"]);
    expect(await api.knowledge.search({ query: "kubernetes" })).toEqual([]);
  });

  it("keeps each tenant's documents to itself", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    await (await callerFor({ userId: a.owner.id })).knowledge.add({ title: "Secret plan", body: "quarterly roadmap for tenant A" });
    const apiB = await callerFor({ userId: b.owner.id });
    expect(await apiB.knowledge.search({ query: "roadmap" })).toEqual([]);
    expect((await apiB.knowledge.list({})).items).toEqual([]);
  });

  it("imports a page's text from a URL, without its scripts and styles", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const doc = await api.knowledge.addFromUrl({ url: `${base}/runbook.html` });
    expect(doc).toMatchObject({ title: "Deploy & rollback runbook", sourceUrl: `${base}/runbook.html` });
    expect(doc.preview).toContain("To roll back a canary, drain the agent pool first.");
    expect(doc.preview).not.toContain("alert");
    expect((await api.knowledge.search({ query: "canary" })).map((h) => h.documentId)).toEqual([doc.id]);
    await expect(api.knowledge.addFromUrl({ url: `${base}/missing` })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("HTTP 404") });
    await expect(api.knowledge.addFromUrl({ url: `${base}/image.png` })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.knowledge.addFromUrl({ url: "ftp://example.test/file" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("validates input, lets viewers search but not write, and audits additions and removals", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    const error = await api.knowledge.add({ title: "", body: "" }).catch((e: unknown) => e as TRPCError);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    const doc = await api.knowledge.add({ title: "Glossary", body: "An arm is an agent and a task type." });
    const viewer = await callerFor({ userId: (await addUser(tenant.id, "viewer")).id });
    expect((await viewer.knowledge.search({ query: "arm" })).length).toBe(1);
    await expect(viewer.knowledge.remove({ documentId: doc.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await api.knowledge.remove({ documentId: doc.id });
    expect(await api.knowledge.search({ query: "arm" })).toEqual([]);
    const actions = (await api.audit.list({ limit: 10, action: "knowledge." })).items.map((e) => e.action);
    expect(actions).toEqual(["knowledge.document_removed", "knowledge.document_added"]);
  });
});
