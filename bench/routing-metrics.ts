// npm run bench:routing-metrics — the Routing page's queries with a million decisions.
//
// Seeds 1,000,000 routing decisions for one tenant over 30 days (200 agents, 8 task types) with
// their hourly roll-up, then times, in process against real Postgres: routing.metrics for 24 h,
// 7 d and 30 d, the first page of recent decisions and a page deep in the cursor, and a decision
// record. Baselines measured in the same run: SELECT 1, and the same per-agent aggregation run
// directly over the decisions table (what the roll-up avoids). Writes bench/results/.
import os from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { createTestDatabase } from "../tests/test-database";
import { createDb, type Db } from "@/server/db/client";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { createCaller } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { percentile } from "./lib/load";
import { RateLimiter } from "@/server/security/rate-limiter";

const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 20);

async function timed(name: string, fn: () => Promise<unknown>) {
  await fn(); // warm
  const samples: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const r = { name, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), max: samples[samples.length - 1]! };
  console.log(`${name.padEnd(44)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms`);
  return r;
}

async function seed(db: Db, tenantId: string) {
  const started = Date.now();
  await db.$executeRaw`
    INSERT INTO agents (id, "tenantId", name, "modelFamily", "maxConcurrentTasks", tags, "registeredAt", "lastSeenAt")
    SELECT 'bench-agent-' || g, ${tenantId}, 'agent-' || g, 'claude-sonnet-4', 10, '{}', now(), now() FROM generate_series(1, 200) g`;
  // Decisions spread evenly over the last 30 days; agent quality differs so metrics are not flat.
  await db.$executeRaw`
    INSERT INTO routing_decisions (id, "tenantId", "taskId", "taskType", strategy, policy, "chosenAgentId", result, reason, explored,
      "selectionProbability", candidates, excluded, "notCapableCount", "decisionMs", "createdAt")
    SELECT 'bench-d-' || g, ${tenantId}, 'bench-t-' || g, 'type-' || (g % 8), 'thompson', '{}'::jsonb,
      'bench-agent-' || (1 + (g::bigint * 7919) % 200), 'assigned', 'bench', (g % 10 = 0), NULL,
      '[]'::json, '[]'::jsonb, 0, 0.5 + (g % 100) / 50.0,
      now() - make_interval(secs => (g::float8 / ${DECISIONS}) * 30 * 86400)
    FROM generate_series(1, ${DECISIONS}) g`;
  await db.$executeRaw`
    INSERT INTO routing_stats_hourly ("tenantId", hour, "taskType", "agentId", decisions, explored, assigned, "decisionMsSum",
      "latencyBuckets", outcomes, successes, "rewardSum", "qualitySum", "qualityCount")
    SELECT "tenantId", date_trunc('hour', "createdAt" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', "taskType", "chosenAgentId",
      count(*), count(*) FILTER (WHERE explored), count(*), sum("decisionMs"),
      ARRAY[0,0,count(*) FILTER (WHERE "decisionMs" <= 1),count(*) FILTER (WHERE "decisionMs" > 1 AND "decisionMs" <= 2),count(*) FILTER (WHERE "decisionMs" > 2)]::int[],
      count(*), count(*) FILTER (WHERE (hashtext(id) & 7) < 5 + (substr("chosenAgentId", 13)::int % 3)),
      count(*) FILTER (WHERE (hashtext(id) & 7) < 5 + (substr("chosenAgentId", 13)::int % 3)) * 0.9, count(*) * 0.8, count(*)
    FROM routing_decisions WHERE "tenantId" = ${tenantId}
    GROUP BY 1, 2, 3, 4`;
  await db.$executeRaw`ANALYZE routing_decisions`;
  await db.$executeRaw`ANALYZE routing_stats_hourly`;
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM routing_stats_hourly WHERE "tenantId" = ${tenantId}`;
  console.log(`seeded ${DECISIONS.toLocaleString()} decisions and ${Number(row?.n ?? 0).toLocaleString()} roll-up rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const database = await createTestDatabase("arbiter_metrics_bench");
  const db = createDb(database.url, 4);
  try {
    const { tenant, user } = await createTenantWithOwner(db, { tenantName: "Bench", tenantSlug: "bench", email: "bench@example.test", name: "Bench", password: "bench-password-2026" });
    await seed(db, tenant.id);
    const api = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id, rateLimiter: RateLimiter.inMemory(db) }));
    const results = [];
    results.push(await timed("baseline: SELECT 1", () => db.$queryRaw`SELECT 1`));
    results.push(
      await timed("baseline: per-agent GROUP BY over decisions (30 d)", () =>
        db.$queryRaw`SELECT "chosenAgentId", count(*), avg("decisionMs") FROM routing_decisions WHERE "tenantId" = ${tenant.id} AND "createdAt" >= now() - interval '30 days' GROUP BY 1`,
      ),
    );
    for (const range of ["24h", "7d", "30d"] as const) results.push(await timed(`routing.metrics ${range}`, () => api.routing.metrics({ range })));
    results.push(await timed("routing.metrics 30d, one task type", () => api.routing.metrics({ range: "30d", taskType: "type-3" })));
    results.push(await timed("routing.decisions first page (25)", () => api.routing.decisions({ range: "30d", limit: 25 })));
    let cursor: string | undefined;
    for (let i = 0; i < 40; i++) cursor = (await api.routing.decisions({ range: "30d", limit: 25, cursor })).nextCursor ?? undefined;
    results.push(await timed("routing.decisions page 41 (cursor)", () => api.routing.decisions({ range: "30d", limit: 25, cursor })));
    results.push(await timed("routing.decision record", () => api.routing.decision({ decisionId: "bench-d-500000" })));
    mkdirSync("bench/results", { recursive: true });
    const file = `bench/results/routing-metrics-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, decisions: DECISIONS, reps: REPS, results }, null, 2));
    console.log(`wrote ${file}`);
  } finally {
    await db.$disconnect();
    await database.drop();
  }
}

void main();
