import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { callerFor, makeTenant, testDb } from "../helpers";

let server: Server;
let base: string;
const seenKeys: string[] = [];

beforeAll(async () => {
  // One local server speaking both SearXNG's and Brave's formats.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    res.setHeader("content-type", "application/json");
    if (url.pathname === "/search") {
      res.end(JSON.stringify({ results: [{ title: "From SearXNG", url: "https://shared.test/page", content: "s" }, { title: "Spam", url: "https://spam.test/x", content: "s" }] }));
    } else {
      seenKeys.push(String(req.headers["x-subscription-token"]));
      res.end(JSON.stringify({ type: "search", web: { results: [{ title: "From Brave", url: "https://www.shared.test/page/", description: "b" }, { title: "Docs", url: "https://docs.trusted.test/a", description: "b" }] } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("per-tenant research settings", () => {
  it("stores provider keys encrypted, never returns them, and uses them for that tenant only", async () => {
    const { tenant, owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.research.saveCredential({ provider: "brave", endpoint: base, secret: "tenant-brave-key-123" });
    const stored = await testDb().providerCredential.findFirstOrThrow({ where: { tenantId: tenant.id, provider: "brave" } });
    expect(stored.secretEncrypted).toMatch(/^v1\./);
    expect(stored.secretEncrypted).not.toContain("tenant-brave-key-123");
    const view = await api.research.settings();
    expect(JSON.stringify(view)).not.toContain("tenant-brave-key-123");
    expect(view.providers.find((p) => p.id === "brave")).toMatchObject({ source: "tenant", hasSecret: true, endpoint: base });

    await api.research.saveSettings({ chain: ["brave"], fanOut: 0, cacheTtlSeconds: 0, allowDomains: [], denyDomains: [], domainWeights: [] });
    const answer = await api.research.query({ query: "anything" });
    expect(answer.provider).toBe("brave");
    expect(seenKeys[seenKeys.length - 1]).toBe("tenant-brave-key-123");

    // Another tenant without credentials has only its knowledge base.
    const other = await makeTenant();
    expect((await (await callerFor({ userId: other.owner.id })).research.settings()).chain).toEqual(["local"]);
  });

  it("fans out to several providers, merges duplicates, and applies allow and deny lists", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await api.research.saveCredential({ provider: "searxng", endpoint: base });
    await api.research.saveCredential({ provider: "brave", endpoint: base, secret: "k" });
    await api.research.saveSettings({ chain: ["searxng", "brave"], fanOut: 2, cacheTtlSeconds: 60, allowDomains: ["trusted.test"], denyDomains: ["spam.test"], domainWeights: ["shared.test=3"] });
    const answer = await api.research.query({ query: "fan out" });
    expect(answer.trail.map((t) => [t.provider, t.outcome])).toEqual([
      ["searxng", "ok"],
      ["brave", "ok"],
    ]);
    // shared.test weighs 3 (above the allow list's 1.5); the duplicate from two providers counts once.
    expect(answer.results.map((r) => r.canonicalUrl)).toEqual(["https://shared.test/page", "https://docs.trusted.test/a"]);
    expect(answer.results[1]).toMatchObject({ provider: "brave", quality: "high" });
  });

  it("rejects bad settings with field messages", async () => {
    const { owner } = await makeTenant();
    const api = await callerFor({ userId: owner.id });
    await expect(api.research.saveSettings({ chain: [], fanOut: 9, cacheTtlSeconds: -1, allowDomains: ["not a domain"], denyDomains: [], domainWeights: ["x.test=9"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
