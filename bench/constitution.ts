// npm run bench:constitution — the constitutional check's cost.
//
// 1. In process: evaluateChange for a policy and spec with 50 path rules (30 scope.in, 10 scope.out,
//    10 non-governed zones), every gate on, 20 waivers and 4 budgets, on a 50-file change; against a
//    baseline measured in the same run (a task with no spec and no change: only the tenant budgets).
// 2. Over real HTTP against the production build, after 2,000 tasks of history (bench/lib/history.ts),
//    open loop at BENCH_RATE (500) requests/s:
//    tasks.submit with that spec and change (check -> decision -> route), against tenant.whoami
//    and a submit with no spec at the same rate.
//    Then the same submit closed loop at concurrency 16 (the rate this machine sustains) and open
//    loop at BENCH_LOW_RATE (50) requests/s (latency below saturation).
// Prints P50/P95/P99 and writes bench/results/constitution-<timestamp>.json.
//
// Env: BENCH_RATE (500), BENCH_LOW_RATE (50), BENCH_SECONDS (10), BENCH_SKIP_BUILD=1 to reuse .next.
import os from "node:os";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createTestDatabase } from "../tests/test-database";
import { createDb } from "@/server/db/client";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { createApiToken } from "@/server/tokens/service";
import { registerAgent } from "@/server/registry/service";
import { SYSTEM_ACTOR } from "@/server/audit/service";
import { evaluateChange, type EvaluationInput } from "@/server/constitution/evaluate";
import { DEFAULT_POLICY_YAML } from "@/server/constitution/policy-schema";
import { validatePolicy } from "@/server/constitution/policy";
import { validateSpec } from "@/server/constitution/spec-validator";
import { activatePolicyVersion, savePolicyVersion } from "@/server/constitution/policy-service";
import { saveSpecVersion } from "@/server/constitution/spec-service";
import { requestWaiver } from "@/server/constitution/waiver-service";
import { setBudget } from "@/server/constitution/budget-service";
import type { WaiverFacts } from "@/server/constitution/waiver-rules";
import { percentile, runLoad, runRate, type LoadResult, type RequestSpec } from "./lib/load";
import { startArbiter, stopGroup } from "./lib/server";
import { seedHistory } from "./lib/history";

const RATE = Number(process.env.BENCH_RATE ?? 500);
const LOW_RATE = Number(process.env.BENCH_LOW_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = 3910;
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");

const SCOPE_IN = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `src/area-${i}/**/*.ts` : i % 3 === 1 ? `src/area-${i}/` : `lib/part-${i}/index.ts`));
const SCOPE_OUT = Array.from({ length: 10 }, (_, i) => `src/area-${i * 3 + 1}/generated/`);
const ZONES = Array.from({ length: 10 }, (_, i) => `docs/section-${i}/**`);

const POLICY = DEFAULT_POLICY_YAML.replace("tasks:", `non_governed_zones: [${ZONES.map((z) => JSON.stringify(z)).join(", ")}]\ntasks:`);
const SPEC = `id: BENCH-0001
title: Benchmark spec with fifty path rules
risk_tier: 2
mode: feature
lifecycle_state: active
blast_radius: { modules: [bench] }
scope:
  in: [${SCOPE_IN.map((s) => JSON.stringify(s)).join(", ")}]
  out: [${SCOPE_OUT.map((s) => JSON.stringify(s)).join(", ")}]
invariants: [results stay the same]
acceptance:
  - { id: A1, given: a change, when: evaluated, then: a decision }
non_functional: { performance: [fast] }
contracts: [{ name: bench-api, type: api }]
`;
const CHANGE = {
  files: Array.from({ length: 50 }, (_, i) => (i % 5 === 4 ? `docs/section-${i % 10}/page-${i}.md` : `src/area-${(i % 10) * 3}/module-${i}/file.ts`)),
  linesAdded: 900,
  linesRemoved: 300,
  evidence: { coverage: 0.92, mutationScore: 0.7, testsPassed: true, lintPassed: true, securityScan: "pass" as const, contractTestsPassed: true, manualReview: true },
};

function inProcess() {
  const policy = validatePolicy(POLICY);
  const spec = validateSpec(SPEC);
  if (!policy.valid || !spec.parsed || !spec.valid) throw new Error(`bench inputs invalid: ${JSON.stringify([policy.errors, spec.errors])}`);
  const now = new Date();
  const waivers: WaiverFacts[] = Array.from({ length: 20 }, (_, i) => ({
    id: `WV-${String(i + 1).padStart(4, "0")}`,
    status: (["active", "proposed", "revoked", "active"] as const)[i % 4]!,
    gates: [(["budget_limit", "coverage_threshold", "lint", "tenant_budget"] as const)[i % 4]!],
    deltaFiles: i % 4 === 0 ? 5 : null,
    deltaLoc: null,
    specId: i % 2 === 0 ? "BENCH-0001" : null,
    taskType: null,
    requestedAt: new Date(now.getTime() - 86_400_000),
    expiresAt: new Date(now.getTime() + (i % 5 === 0 ? -1 : 1) * 86_400_000),
    approvals: 2,
  }));
  const budgets = [
    { id: "b1", taskType: null, tasksPerDay: 100_000, costUnitsPerMonth: 1e6, tasksToday: 500, costThisMonth: 1000 },
    { id: "b2", taskType: "feature", tasksPerDay: 50_000, costUnitsPerMonth: null, tasksToday: 400, costThisMonth: 0 },
    { id: "b3", taskType: "docs", tasksPerDay: 10, costUnitsPerMonth: null, tasksToday: 1, costThisMonth: 0 },
    { id: "b4", taskType: "feature", tasksPerDay: null, costUnitsPerMonth: 5000, tasksToday: 0, costThisMonth: 10 },
  ];
  const full: EvaluationInput = { now, policy: policy.policy, policyVersionId: "p1", taskType: "feature", specId: "BENCH-0001", spec: { specId: "BENCH-0001", versionId: "s1", version: 1, validation: spec }, change: CHANGE, waivers, budgets };
  const baseline: EvaluationInput = { ...full, specId: null, spec: null, change: null, waivers: [] };
  const measure = (input: EvaluationInput, n: number) => {
    for (let i = 0; i < 2000; i++) evaluateChange(input);
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      evaluateChange(input);
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b);
    return { iterations: n, p50: percentile(t, 0.5), p95: percentile(t, 0.95), p99: percentile(t, 0.99), max: t[t.length - 1]! };
  };
  const sample = evaluateChange(full);
  return {
    pathRules: SCOPE_IN.length + SCOPE_OUT.length + ZONES.length,
    ruleResults: sample.rules.length,
    verdict: sample.verdict,
    full: measure(full, 20_000),
    baseline: measure(baseline, 20_000),
  };
}

async function seed(databaseUrl: string) {
  const db = createDb(databaseUrl, 8);
  const { tenant, user } = await createTenantWithOwner(db, { tenantName: "Bench", tenantSlug: "bench", email: "bench@example.test", name: "Bench", password: "bench-password-2026" });
  const caller = { actor: SYSTEM_ACTOR, userId: user.id, requestId: null };
  const { token } = await createApiToken(db, { actor: SYSTEM_ACTOR, role: "owner", userId: user.id, requestId: null }, { tenantId: tenant.id, name: "bench", role: "operator", scopes: ["*"], expiresAt: null });
  const v = await savePolicyVersion(db, caller, tenant.id, POLICY);
  await activatePolicyVersion(db, caller, tenant.id, v.id);
  await saveSpecVersion(db, caller, tenant.id, SPEC);
  for (let i = 0; i < 20; i++) {
    await requestWaiver(db, caller, tenant.id, { title: `bench waiver ${i}`, gates: ["lint"], reasonCode: "other", description: "a pending waiver the evaluation reads", mitigation: "none; it is benchmark data only", specId: "BENCH-0001" });
  }
  await setBudget(db, caller, tenant.id, { taskType: "*", tasksPerDay: 10_000_000, costUnitsPerMonth: 1e9 });
  await setBudget(db, caller, tenant.id, { taskType: "feature", tasksPerDay: 10_000_000, costUnitsPerMonth: null });
  const agentIds: string[] = [];
  for (let i = 0; i < 50; i++) {
    const agent = await registerAgent(db, { actor: SYSTEM_ACTOR, requestId: null }, tenant.id, {
      name: `agent-${i}`,
      modelFamily: "claude-sonnet-4",
      capabilities: { taskTypes: [{ name: "feature", proficiency: 0.9 }, { name: "chore", proficiency: 0.9 }], languages: [], specializations: [] },
      maxConcurrentTasks: 1_000_000,
      tags: [],
      status: "available",
    });
    agentIds.push(agent.id);
  }
  // 2,000 tasks of history, half of them under the spec with the change.
  await seedHistory(db, tenant.id, user.id, 2_000, (n) => (n % 2 ? { taskType: "chore", payload: { history: n } } : { taskType: "feature", specId: "BENCH-0001", change: CHANGE, payload: { history: n } }));
  // Planner statistics for the seeded rows, as autovacuum would have them on a running system.
  await db.$executeRaw`ANALYZE`;
  await db.$disconnect();
  return { token, agentIds };
}

/** The agents report in as a live fleet does (otherwise they go silent after the tenant's heartbeat
 *  timeout, and tasks wait instead of being assigned). stop() waits for a round in flight, so the
 *  server is not stopped under it. */
function heartbeats(agentIds: string[], token: string) {
  let inFlight: Promise<unknown> = Promise.resolve();
  const beat = () =>
    Promise.all(
      agentIds.map((agentId) =>
        fetch(`http://127.0.0.1:${PORT}/api/trpc/agents.heartbeat`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ json: { agentId } }) }),
      ),
    ).catch((error: unknown) => console.error("heartbeat failed", error));
  const timer = setInterval(() => void (inFlight = beat()), 20_000);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

const post = (path: string, input: unknown, token: string): RequestSpec => ({ method: "POST", path: `/api/trpc/${path}`, headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ json: input }) });

async function main() {
  const local = inProcess();
  console.log(`in process: ${local.pathRules} path rules, ${local.ruleResults} rule results, verdict ${local.verdict}`);
  console.log(`  evaluateChange (full)      P50 ${fmt(local.full.p50)} ms  P95 ${fmt(local.full.p95)} ms  P99 ${fmt(local.full.p99)} ms`);
  console.log(`  baseline (budgets only)    P50 ${fmt(local.baseline.p50)} ms  P95 ${fmt(local.baseline.p95)} ms  P99 ${fmt(local.baseline.p99)} ms`);

  if (process.env.BENCH_SKIP_BUILD !== "1") {
    console.log("building (next build)…");
    execFileSync("node_modules/.bin/next", ["build"], { stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const database = await createTestDatabase("arbiter_bench");
  let server;
  const results: LoadResult[] = [];
  const verdicts: Record<string, number> = {};
  const routed: Record<string, number> = {};
  let beating: ReturnType<typeof heartbeats> | undefined;
  try {
    const { token, agentIds } = await seed(database.url);
    server = await startArbiter(PORT, database.url);
    beating = heartbeats(agentIds, token);
    const base = { port: PORT, ratePerSecond: RATE, seconds: SECONDS, warmupSeconds: 2 };
    let n = 0;
    results.push(await runRate({ ...base, name: "a. trpc tenant.whoami", next: () => ({ method: "GET", path: "/api/trpc/tenant.whoami", headers: { authorization: `Bearer ${token}` } }) }));
    results.push(await runRate({ ...base, name: "b. submit, no spec", next: () => post("tasks.submit", { taskType: "chore", payload: { n: n++ } }, token) }));
    results.push(
      await runRate({
        ...base,
        name: "c. submit with spec+change",
        next: () => post("tasks.submit", { taskType: "feature", specId: "BENCH-0001", change: CHANGE, payload: { n: n++ } }, token),
        onResponse: (body) => {
          const { constitution, routing } = (JSON.parse(body) as { result: { data: { json: { constitution: { verdict: string }; routing: { result: string } } } } }).result.data.json;
          verdicts[constitution.verdict] = (verdicts[constitution.verdict] ?? 0) + 1;
          routed[routing.result] = (routed[routing.result] ?? 0) + 1;
        },
      }),
    );
    const withSpec = () => post("tasks.submit", { taskType: "feature", specId: "BENCH-0001", change: CHANGE, payload: { n: n++ } }, token);
    results.push(await runLoad({ port: PORT, concurrency: 16, seconds: SECONDS, warmupSeconds: 2, name: "d. same, closed loop c=16", next: withSpec, serverPid: server.pid }));
    results.push(await runRate({ ...base, ratePerSecond: LOW_RATE, name: `e. same, open loop ${LOW_RATE}/s`, next: withSpec }));
  } finally {
    await beating?.stop();
    if (server) await stopGroup(server);
    await database.drop();
  }

  console.log(`\nopen loop at ${RATE} req/s, ${SECONDS} s per scenario, ${os.cpus().length} cores, node ${process.version}`);
  console.log("scenario                      requests  errors    req/s    p50 ms    p95 ms    p99 ms");
  for (const r of results) {
    console.log(`${r.name.padEnd(28)} ${String(r.requests).padStart(9)} ${String(r.errors).padStart(7)} ${r.throughput.toFixed(0).padStart(8)} ${fmt(r.p50).padStart(8)}  ${fmt(r.p95).padStart(8)}  ${fmt(r.p99).padStart(8)}`);
    for (const e of r.errorSamples) console.log(`    error: ${e}`);
    if (r.cpuPerRequest) console.log(`    CPU ms per request: server ${fmt(r.cpuPerRequest.serverMs)}, Postgres ${fmt(r.cpuPerRequest.postgresMs)}`);
  }
  console.log(`verdicts of c: ${JSON.stringify(verdicts)}; routing of c: ${JSON.stringify(routed)}`);
  const c = results.find((r) => r.name.startsWith("c."))!;
  const targets = [
    { name: "in-process evaluation P95 < 1 ms (50 path rules)", pass: local.full.p95 < 1, actual: local.full.p95 },
    { name: `submit -> decision P95 < 20 ms at ${RATE}/s`, pass: c.p95 < 20, actual: c.p95 },
    { name: "submit -> decision P95 < 200 ms at 500/s (the seed's target)", pass: c.p95 < 200, actual: c.p95 },
    { name: "zero errors", pass: results.every((r) => r.errors === 0), actual: results.reduce((sum, r) => sum + r.errors, 0) },
  ];
  console.log("\ntargets:");
  for (const t of targets) console.log(`  ${t.pass ? "MET   " : "MISSED"} ${t.name} (measured ${fmt(t.actual)})`);
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/constitution-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, node: process.version, rate: RATE, secondsPerScenario: SECONDS, inProcess: local, http: results, verdicts, routing: routed, targets }, null, 2));
  console.log(`\nwrote ${file}`);
  process.exitCode = results.some((r) => r.errors > 0) ? 1 : 0;
}

void main();
