#!/usr/bin/env node
// Arbiter's HTTP server: the tRPC API (/api/trpc/*) straight on Node's HTTP server, everything else
// (pages, auth, health) through Next.js. `node server/http/serve.mjs [--dev] [--port N] [--hostname H]`
// (or PORT). It listens once the bootstrap has run. The API handler comes from
// Next's server bundle, where instrumentation.ts builds it (server/http/api-handler.ts).
import cluster from "node:cluster";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { securityHeaders } from "./security-headers.mjs";

const { values: args } = parseArgs({
  options: { dev: { type: "boolean", default: false }, port: { type: "string" }, hostname: { type: "string" } },
});
const dev = args.dev;
process.env.NODE_ENV ??= dev ? "development" : "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const port = Number(args.port ?? process.env.PORT ?? 3000);
// The bootstrap derives NEXTAUTH_URL from PORT when it is not set.
process.env.PORT = String(port);
const hostname = args.hostname ?? "0.0.0.0";
const API_PREFIX = "/api/trpc/";
const API_HANDLER = Symbol.for("arbiter.apiHandler");
const SHUTDOWN_HOOKS = Symbol.for("arbiter.shutdownHooks");
const SHUTDOWN_GRACE_MS = 10_000;

// ARBITER_WORKERS > 1 runs that many server processes sharing the port (Node's cluster module), so
// the API uses more than one core; all shared state is in Postgres, and each process's caches are
// hints the SQL re-checks. The embedded database (no DATABASE_URL) serves one process only.
const workers = dev || !process.env.DATABASE_URL ? 1 : Math.max(1, Number(process.env.ARBITER_WORKERS ?? 1));
if (workers > 1 && cluster.isPrimary) superviseWorkers(workers);
else await serve();

function superviseWorkers(count) {
  for (let i = 0; i < count; i++) cluster.fork();
  let stopping = false;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that fails its bootstrap exits 1: the server stops rather than serve half-broken.
    console.error(`Arbiter worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
    process.exit(1);
  });
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping ${count} workers`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + 1_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function serve() {
  // Imported after NODE_ENV is set: Next reads it when it loads.
  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), hostname, port });
  const handlePage = app.getRequestHandler();
  await app.prepare();

  // Next runs instrumentation.ts (bootstrap, then the API handler) as prepare() settles, without
  // awaiting it; a failed bootstrap exits the process, so waiting here cannot hang on an error.
  /** @returns {Promise<import("node:http").RequestListener>} */
  async function apiHandler() {
    for (;;) {
      const handler = globalThis[API_HANDLER];
      if (handler) return handler;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const handleApi = await apiHandler();

  const server = createServer((req, res) => {
    if (req.url?.startsWith(API_PREFIX)) {
      for (const { key, value } of securityHeaders) res.setHeader(key, value);
      handleApi(req, res);
    } else {
      void handlePage(req, res);
    }
  });
  if (dev) server.on("upgrade", app.getUpgradeHandler());
  server.listen(port, hostname, () => {
    console.log(`Arbiter ready on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}${dev ? " (development)" : ""}`);
  });

  // Graceful stop: refuse new connections, let calls in flight finish (their transactions commit or
  // roll back), run the shutdown hooks (server/shutdown.ts: e.g. stop the embedded Postgres), then
  // exit; after SHUTDOWN_GRACE_MS the process exits regardless.
  let stopping = false;
  const stop = (signal) => {
    // Once only: a signal to the whole process group reaches a worker twice (directly and from its supervisor).
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping; waiting for calls in flight`);
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    server.close(async () => {
      /** @type {(() => Promise<unknown>)[]} */
      const hooks = globalThis[SHUTDOWN_HOOKS] ?? [];
      await Promise.allSettled(hooks.map((hook) => hook()));
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // A worker goes when its supervisor does.
  if (cluster.isWorker) process.on("disconnect", () => process.exit(0));
}
