// npm run bench:routing — routing performance over real HTTP against the production build.
//
// Seeds 1,000 agents across 8 task types and 2,000 routed tasks of history on a throwaway Postgres
// database, starts the production server (server/http/serve.mjs), then measures at a fixed
// concurrency, each against a bare Node HTTP endpoint measured in the same run: (a) the bare
// endpoint, (b) a trivial authenticated tRPC query, (c) the capability query, (d) route+assign
// (tasks.submit), (e) outcome reporting; and (f) route+assign called in this process, through the
// same group commit with no HTTP around it (how much of (d) is the domain code). Prints P50/P95/P99 and
// throughput, the CPU milliseconds per request of the server and of Postgres (steadier than
// throughput on a shared machine), and writes bench/results/routing-<timestamp>.json.
//
// Env: BENCH_CONCURRENCY (16), BENCH_SECONDS (10), BENCH_WORKERS (1: ARBITER_WORKERS of the server),
// BENCH_SKIP_BUILD=1 to reuse .next, BENCH_KEEP_DATABASE=1 to keep the seeded database afterwards (for
// EXPLAIN and statement statistics),
// BENCH_ONLY=c,d to run some scenarios (e needs d), BENCH_SERVER_NODE_ARGS for the server
// (e.g. "--cpu-prof --cpu-prof-dir=bench/profiles").
import os from "node:os";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createTestDatabase } from "../tests/test-database";
import { createDb, poolOf } from "@/server/db/client";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { createApiToken } from "@/server/tokens/service";
import { registerAgent } from "@/server/registry/service";
import { SYSTEM_ACTOR } from "@/server/audit/service";
import { seededRng } from "@/server/routing/random";
import { submitTaskSchema } from "@/server/routing/task-schemas";
import { submitInBatch } from "@/server/routing/tenant-batches";
import { seedHistory } from "./lib/history";
import { runInProcess, runLoad, type LoadResult, type RequestSpec } from "./lib/load";
import { startArbiter, startBareServer, stopGroup } from "./lib/server";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const AGENTS = 1000;
const HISTORY_TASKS = 2000;
const TASK_TYPES = ["code-review", "testing", "refactoring", "documentation", "research", "security-audit", "migration", "debugging"];
const LANGUAGES = ["typescript", "python", "go", "rust", "java"];
const ARBITER_PORT = 3900;
const BARE_PORT = 3901;

async function seed(databaseUrl: string) {
  const db = createDb(databaseUrl, 8);
  const { tenant, user } = await createTenantWithOwner(db, {
    tenantName: "Bench",
    tenantSlug: "bench",
    email: "bench@example.test",
    name: "Bench",
    password: "bench-password-2026",
  });
  const { token } = await createApiToken(
    db,
    { actor: SYSTEM_ACTOR, role: "owner", userId: user.id, requestId: null },
    { tenantId: tenant.id, name: "bench", role: "operator", scopes: ["*"], expiresAt: null },
  );
  const rng = seededRng(42);
  const pick = <T>(list: T[], n: number) => [...list].sort(() => rng() - 0.5).slice(0, n);
  const started = Date.now();
  for (let batch = 0; batch < AGENTS; batch += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const n = batch + i;
        return registerAgent(db, { actor: SYSTEM_ACTOR, requestId: null }, tenant.id, {
          name: `agent-${String(n).padStart(4, "0")}`,
          modelFamily: ["claude-sonnet-4", "claude-opus-4", "gpt-5", "gemini-2.5"][n % 4]!,
          // Every agent takes its "home" type, so each type has ~250 capable agents.
          capabilities: {
            taskTypes: [...new Set([TASK_TYPES[n % 8]!, ...pick(TASK_TYPES, 1)])].map((name) => ({ name, proficiency: 0.5 + rng() / 2 })),
            languages: pick(LANGUAGES, 1 + Math.floor(rng() * 3)).map((name) => ({ name, proficiency: 0.5 + rng() / 2 })),
            specializations: [],
          },
          maxConcurrentTasks: 1000,
          tags: ["bench"],
          status: "available",
        });
      }),
    );
  }
  await seedHistory(db, tenant.id, user.id, HISTORY_TASKS, (n) => ({ taskType: TASK_TYPES[n % 8], payload: { history: n } }));
  console.log(`seeded ${AGENTS} agents across ${TASK_TYPES.length} task types and ${HISTORY_TASKS} routed tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // Planner statistics for the seeded rows, as autovacuum would have them on a running system.
  await db.$executeRaw`ANALYZE`;
  await db.$disconnect();
  return { token, tenantId: tenant.id, userId: user.id };
}

function trpcGet(path: string, input: unknown, token: string): RequestSpec {
  return {
    method: "GET",
    path: `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
    headers: { authorization: `Bearer ${token}` },
  };
}

function trpcPost(path: string, input: unknown, token: string): RequestSpec {
  return { method: "POST", path: `/api/trpc/${path}`, headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ json: input }) };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "—");

async function main() {
  if (process.env.BENCH_SKIP_BUILD !== "1") {
    console.log("building (next build)…");
    execFileSync("node_modules/.bin/next", ["build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const database = await createTestDatabase("arbiter_bench");
  const children = [];
  try {
    const { token, tenantId, userId } = await seed(database.url);
    const bareServer = await startBareServer(BARE_PORT);
    const arbiter = await startArbiter(ARBITER_PORT, database.url);
    children.push(bareServer, arbiter);
    const base = { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: 2, serverPid: arbiter.pid };
    let i = 0;
    const results: LoadResult[] = [];
    const only = process.env.BENCH_ONLY?.split(",").map((x) => x.trim());
    const run = async (options: Parameters<typeof runLoad>[0]) => {
      if (!only || only.includes(options.name[0]!)) results.push(await runLoad(options));
    };

    await run({ ...base, serverPid: bareServer.pid, name: "a. bare node http", port: BARE_PORT, next: () => ({ method: "GET", path: "/" }) });
    await run({ ...base, name: "b. trpc tenant.whoami", port: ARBITER_PORT, next: () => trpcGet("tenant.whoami", undefined, token) });
    await run({
      ...base,
      name: "c. capability query",
      port: ARBITER_PORT,
      next: () => trpcGet("agents.match", { taskType: TASK_TYPES[i++ % 8], languages: [LANGUAGES[i % 5]], minProficiency: 0.5 }, token),
    });
    const assigned: string[] = [];
    await run({
      ...base,
      name: "d. route+assign",
      port: ARBITER_PORT,
      next: () => trpcPost("tasks.submit", { taskType: TASK_TYPES[i++ % 8], payload: { n: i } }, token),
      onResponse: (body) => {
        const data = JSON.parse(body).result.data.json as { taskId: string; routing: { result: string } };
        if (data.routing.result === "assigned") assigned.push(data.taskId);
        else throw new Error(`task not assigned: ${data.routing.result}`);
      },
    });
    let o = 0;
    await run({
      ...base,
      name: "e. outcome report",
      port: ARBITER_PORT,
      next: () => {
        const taskId = assigned[o++];
        return taskId ? trpcPost("tasks.reportOutcome", { taskId, success: o % 4 !== 0, quality: (o % 10) / 10, latencyMs: 100 + (o % 900) }, token) : null;
      },
    });

    // The same submissions made in this process through the same group commit, with the server's
    // pool size: what route+assign costs without HTTP, tRPC and Next.js around it.
    if (!only || only.includes("f")) {
      const db = createDb(database.url, Number(process.env.DATABASE_POOL_SIZE ?? 16));
      const caller = { userId, actor: { type: "token" as const, id: null, label: "bench in process" }, requestId: null };
      const submit = () => submitInBatch(db, tenantId, { caller, input: submitTaskSchema.parse({ taskType: TASK_TYPES[i++ % 8], payload: { n: i } }) });
      results.push(await runInProcess({ concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: 2, name: "f. route+assign in process", call: submit }));
      // Prisma never connected (group commit uses the pool directly), so its disconnect may leave the pool open.
      const pool = poolOf(db);
      await db.$disconnect();
      if (!pool.ended) await pool.end();
    }

    const bare = results.find((r) => r.name.startsWith("a.")) ?? results[0]!;
    console.log(`\nconcurrency ${CONCURRENCY}, ${SECONDS} s per scenario, ${WORKERS} server process(es), ${os.cpus().length} cores, node ${process.version}`);
    console.log("scenario                 requests  errors   req/s     p50 ms   p95 ms   p99 ms   p95 / bare p95   req/s / bare   CPU ms/req: server  postgres");
    for (const r of results) {
      console.log(
        `${r.name.padEnd(24)} ${String(r.requests).padStart(8)} ${String(r.errors).padStart(7)} ${r.throughput.toFixed(0).padStart(7)}   ${fmt(r.p50).padStart(6)}   ${fmt(r.p95).padStart(6)}   ${fmt(r.p99).padStart(6)}   ${(r.p95 / bare.p95).toFixed(1).padStart(14)}   ${(r.throughput / bare.throughput).toFixed(3).padStart(12)}   ${fmt(r.cpuPerRequest?.serverMs ?? NaN).padStart(17)}  ${fmt(r.cpuPerRequest?.postgresMs ?? NaN).padStart(8)}`,
      );
      for (const e of r.errorSamples) console.log(`    error: ${e}`);
    }
    const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix)) ?? { p95: NaN, throughput: NaN, errors: NaN };
    const targets = [
      { name: "route+assign P95 < 15 ms", pass: byName("d.").p95 < 15, actual: byName("d.").p95 },
      { name: "route+assign >= 1000 decisions/s", pass: byName("d.").throughput >= 1000, actual: byName("d.").throughput },
      { name: "route+assign zero errors", pass: byName("d.").errors === 0, actual: byName("d.").errors },
      { name: "capability query >= 2000/s", pass: byName("c.").throughput >= 2000, actual: byName("c.").throughput },
      { name: "capability query P95 < 15 ms", pass: byName("c.").p95 < 15, actual: byName("c.").p95 },
      { name: "outcome P95 < 10 ms", pass: byName("e.").p95 < 10, actual: byName("e.").p95 },
    ];
    console.log("\ntargets:");
    for (const t of targets) console.log(`  ${t.pass ? "MET   " : "MISSED"} ${t.name} (measured ${fmt(t.actual)})`);
    mkdirSync("bench/results", { recursive: true });
    const file = `bench/results/routing-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    writeFileSync(
      file,
      JSON.stringify(
        { date: new Date().toISOString(), cores: os.cpus().length, node: process.version, serverProcesses: WORKERS, concurrency: CONCURRENCY, secondsPerScenario: SECONDS, agents: AGENTS, taskTypes: TASK_TYPES.length, results, targets },
        null,
        2,
      ),
    );
    console.log(`\nwrote ${file}`);
    process.exitCode = results.some((r) => r.errors > 0) ? 1 : 0;
  } finally {
    await Promise.all(children.map(stopGroup));
    if (process.env.BENCH_KEEP_DATABASE === "1") console.log(`kept the database: ${database.url}`);
    else await database.drop();
  }
}

void main();
