// npm run bench:research — 100 research queries through a chain whose first provider (SearXNG
// wire format) fails 30% of its requests (HTTP 500), both providers answering in 50–300 ms (local servers).
// Prints P50/P95 latency and success rate on a cold run, then the cache hit ratio and latency when
// the same 100 queries repeat. Baseline in the same run: one direct GET to the healthy provider.
import os from "node:os";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, writeFileSync } from "node:fs";
import { createTestDatabase } from "../tests/test-database";
import { createDb } from "@/server/db/client";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { research } from "@/server/research/service";
import { seededRng } from "@/server/routing/random";
import { percentile } from "./lib/load";

const QUERIES = 100;
const rng = seededRng(7);
const latency = () => 50 + Math.floor(rng() * 250);

function startProvider(handler: (url: URL) => { status: number; body: unknown }): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    setTimeout(() => {
      const out = handler(url);
      res.writeHead(out.status, { "content-type": "application/json" });
      res.end(JSON.stringify(out.body));
    }, latency());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const port = (s: Server) => (s.address() as AddressInfo).port;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
};

async function main() {
  let searxRequests = 0;
  let searxFailures = 0;
  const searx = await startProvider((url) => {
    searxRequests += 1;
    // Exactly 3 requests in 10 fail, spread out (0, 3, 6 of every 10).
    if ([0, 3, 6].includes(searxRequests % 10)) {
      searxFailures += 1;
      return { status: 500, body: { error: "upstream" } };
    }
    return { status: 200, body: { results: [{ title: `SearXNG: ${url.searchParams.get("q")}`, url: `https://searx.test/${encodeURIComponent(url.searchParams.get("q") ?? "")}`, content: "result", engine: "x" }] } };
  });
  const brave = await startProvider((url) => ({
    status: 200,
    body: { type: "search", web: { results: [{ title: `Brave: ${url.searchParams.get("q")}`, url: `https://brave.test/${encodeURIComponent(url.searchParams.get("q") ?? "")}`, description: "result" }] } },
  }));
  process.env.SEARXNG_URL = `http://127.0.0.1:${port(searx)}`;
  process.env.BRAVE_API_KEY = "bench-key";
  process.env.BRAVE_BASE_URL = `http://127.0.0.1:${port(brave)}`;
  process.env.ARBITER_RESEARCH_CHAIN = "searxng,brave";

  const database = await createTestDatabase("arbiter_research_bench");
  const db = createDb(database.url, 8);
  try {
    const { tenant } = await createTenantWithOwner(db, { tenantName: "Bench", tenantSlug: "bench", email: "bench@example.test", name: "Bench", password: "bench-password-2026" });

    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await fetch(`${process.env.BRAVE_BASE_URL}/res/v1/web/search?q=baseline${i}`);
      baseline.push(performance.now() - t);
    }

    const run = async (label: string) => {
      const samples: number[] = [];
      let succeeded = 0;
      let cached = 0;
      const byProvider: Record<string, number> = {};
      // 10 concurrent clients, 100 queries in all.
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < QUERIES) {
            const n = next++;
            const t = performance.now();
            const answer = await research(db, tenant.id, `bench query ${n}`, 5);
            samples.push(performance.now() - t);
            if (answer.results.length > 0) succeeded += 1;
            if (answer.cached) cached += 1;
            byProvider[answer.provider ?? "none"] = (byProvider[answer.provider ?? "none"] ?? 0) + 1;
          }
        }),
      );
      const s = summary(samples);
      console.log(
        `${label.padEnd(22)} P50 ${s.p50.toFixed(1)} ms   P95 ${s.p95.toFixed(1)} ms   success ${((succeeded / QUERIES) * 100).toFixed(1)}%   cache hits ${((cached / QUERIES) * 100).toFixed(1)}%   answered by ${JSON.stringify(byProvider)}`,
      );
      return { label, ...s, successRate: succeeded / QUERIES, cacheHitRatio: cached / QUERIES, byProvider };
    };

    const b = summary(baseline);
    console.log(`baseline direct GET     P50 ${b.p50.toFixed(1)} ms   P95 ${b.p95.toFixed(1)} ms (provider latency 50–300 ms)`);
    const cold = await run("cold (100 queries)");
    console.log(`first provider: ${searxRequests} requests, ${searxFailures} failed (${((searxFailures / Math.max(1, searxRequests)) * 100).toFixed(1)}%)`);
    const warm = await run("repeated (same 100)");
    mkdirSync("bench/results", { recursive: true });
    const file = `bench/results/research-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, queries: QUERIES, baseline: b, cold, warm, firstProvider: { requests: searxRequests, failures: searxFailures } }, null, 2));
    console.log(`wrote ${file}`);
  } finally {
    await db.$disconnect();
    await database.drop();
    searx.close();
    brave.close();
  }
}

void main();
