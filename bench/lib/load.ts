// A small closed-loop load generator: `concurrency` workers each send the next request as soon as
// the previous one answers, over keep-alive HTTP, for a fixed time. Latencies in milliseconds.
import http from "node:http";
import { cpuPerRequest, sampleCpu, type CpuSample } from "./cpu";

export interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** CPU milliseconds per request of the server process and of Postgres, when measured. */
  cpuPerRequest?: { serverMs: number; postgresMs: number };
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * A keep-alive agent that closes an idle socket before the server does. The server closes sockets
 * idle for 5 s (Node's keepAliveTimeout, announced as `Keep-Alive: timeout=5`); an agent without a
 * `timeout` ignores that hint and keeps idle sockets forever, so a request sent on one just as the
 * server closes it fails with ECONNRESET (seen in open-loop runs, where many sockets sit idle). With
 * a timeout the agent takes the hint, less a second, and drops such sockets first.
 */
function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, timeout: 4_000 });
}

function send(agent: http.Agent, port: number, spec: RequestSpec): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: spec.method, path: spec.path, agent, headers: { ...(spec.body ? { "content-type": "application/json" } : {}), ...spec.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    if (spec.body) req.write(spec.body);
    req.end();
  });
}

interface ClosedLoopOptions {
  name: string;
  concurrency: number;
  seconds: number;
  warmupSeconds?: number;
}

/** One call of a closed loop: null when there is nothing left to send. */
type Attempt = () => Promise<{ ok: boolean; detail: string }> | null;

/** `concurrency` workers making calls back to back; `cpu` samples the CPU the calls cost. */
async function closedLoop(opts: ClosedLoopOptions, attempt: Attempt, cpu?: () => CpuSample): Promise<LoadResult> {
  let cpuBefore: CpuSample | null = null;
  const latencies: number[] = [];
  let errors = 0;
  const errorSamples: string[] = [];
  const warmupEnd = Date.now() + (opts.warmupSeconds ?? 1) * 1000;
  let measuringStarted = 0;
  let end = 0;
  const worker = async () => {
    for (;;) {
      const now = Date.now();
      if (now >= warmupEnd && measuringStarted === 0) {
        measuringStarted = now;
        end = now + opts.seconds * 1000;
        if (cpu) cpuBefore = cpu();
      }
      if (end && now >= end) return;
      const t0 = process.hrtime.bigint();
      const call = attempt();
      if (!call) return;
      const { ok, detail } = await call;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (measuringStarted && Date.now() <= end) {
        latencies.push(ms);
        if (!ok) {
          errors += 1;
          if (errorSamples.length < 3) errorSamples.push(detail);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const cpuAfter = cpu?.();
  const seconds = measuringStarted ? (Math.min(Date.now(), end) - measuringStarted) / 1000 : 0;
  const result = summarise(opts.name, latencies, errors, errorSamples, seconds);
  if (cpuBefore && cpuAfter) result.cpuPerRequest = cpuPerRequest(cpuBefore, cpuAfter, latencies.length);
  return result;
}

export async function runLoad(
  opts: ClosedLoopOptions & {
    port: number;
    /** Builds the next request; null = nothing left to send (the worker stops). */
    next: () => RequestSpec | null;
    /** Called with each successful response body (e.g. to collect created ids). */
    onResponse?: (body: string) => void;
    /** Measure the CPU time of this server process (and of Postgres) per request. */
    serverPid?: number;
  },
): Promise<LoadResult> {
  const agent = keepAliveAgent(opts.concurrency);
  const { serverPid } = opts;
  const attempt: Attempt = () => {
    const spec = opts.next();
    if (!spec) return null;
    return send(agent, opts.port, spec).then(
      (res) => {
        const ok = res.status >= 200 && res.status < 300;
        if (ok) opts.onResponse?.(res.body);
        return { ok, detail: ok ? "" : `${res.status} ${res.body.slice(0, 200)}` };
      },
      (error: unknown) => ({ ok: false, detail: String(error) }),
    );
  };
  const result = await closedLoop(opts, attempt, serverPid ? () => sampleCpu(serverPid) : undefined);
  agent.destroy();
  return result;
}

/**
 * The same closed loop over calls made in this process (no HTTP, no Next.js): the cost of the
 * domain code alone. Its "server" CPU is this process's.
 */
export async function runInProcess(opts: ClosedLoopOptions & { call: () => Promise<unknown> }): Promise<LoadResult> {
  const attempt: Attempt = () =>
    opts.call().then(
      () => ({ ok: true, detail: "" }),
      (error: unknown) => ({ ok: false, detail: String(error) }),
    );
  return closedLoop(opts, attempt, () => ({ ...sampleCpu(process.pid), serverMs: processCpuMs() }));
}

const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function summarise(name: string, latencies: number[], errors: number, errorSamples: string[], seconds: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    errors,
    errorSamples,
    seconds,
    throughput: seconds > 0 ? latencies.length / seconds : 0,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}

/**
 * Open-loop load: requests start at a fixed rate whether or not earlier ones have answered, and each
 * latency counts from its scheduled start (so a stalled server cannot hide its queueing delay).
 */
export async function runRate(opts: {
  name: string;
  port: number;
  ratePerSecond: number;
  seconds: number;
  warmupSeconds?: number;
  next: () => RequestSpec | null;
  onResponse?: (body: string) => void;
}): Promise<LoadResult> {
  const agent = keepAliveAgent(256);
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const interval = 1000 / opts.ratePerSecond;
  const warmup = (opts.warmupSeconds ?? 1) * 1000;
  const total = warmup + opts.seconds * 1000;
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let n = 0; ; n++) {
    const scheduled = t0 + n * interval;
    if (scheduled - t0 >= total) break;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const spec = opts.next();
    if (!spec) break;
    const measured = scheduled - t0 >= warmup;
    inFlight.push(
      send(agent, opts.port, spec).then(
        (res) => {
          const ok = res.status >= 200 && res.status < 300;
          if (ok) opts.onResponse?.(res.body);
          if (!measured) return;
          latencies.push(performance.now() - scheduled);
          if (!ok) {
            errors += 1;
            if (errorSamples.length < 3) errorSamples.push(`${res.status} ${res.body.slice(0, 200)}`);
          }
        },
        (error: unknown) => {
          if (!measured) return;
          latencies.push(performance.now() - scheduled);
          errors += 1;
          if (errorSamples.length < 3) errorSamples.push(String(error));
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarise(opts.name, latencies, errors, errorSamples, opts.seconds);
}
