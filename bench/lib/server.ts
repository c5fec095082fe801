// Starts the production server (server/http/serve.mjs) and a bare Node HTTP server for the baseline, on a
// throwaway database, and stops them (by process group) afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { newPrivateJwk } from "@/server/auth/jwt-keys";

export async function waitForReady(url: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready`);
}

/** Refuses to start on a port something already answers on: a server left by an interrupted run
 *  would otherwise pass the readiness check and be measured instead (against its own database). */
async function assertPortFree(port: number) {
  const answered = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  if (answered) throw new Error(`port ${port} is already in use (a server left by an earlier run?); stop it first`);
}

export function startDetached(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  return child;
}

/** Stops the child's process group and waits until the child has exited (SIGKILL after 10 s), so a
 *  database dropped afterwards has no server still listening on it. */
export function stopGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const group = -child.pid;
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup(group, "SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    signalGroup(group, "SIGTERM");
  });
}

function signalGroup(group: number, signal: NodeJS.Signals) {
  try {
    process.kill(group, signal);
  } catch {
    // already gone
  }
}

export async function startArbiter(port: number, databaseUrl: string) {
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/profiles" profiles the server alone.
  await assertPortFree(port);
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = startDetached(process.execPath, [...nodeArgs, "server/http/serve.mjs", "--port", String(port)], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    ARBITER_JWT_KEYS: JSON.stringify({ keys: [await newPrivateJwk()] }),
    ARBITER_SECRETS_KEY: randomBytes(32).toString("base64"),
    NEXTAUTH_URL: `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? "16",
    // BENCH_WORKERS=2 measures ARBITER_WORKERS=2 (one server process per core); default: one.
    ARBITER_WORKERS: process.env.BENCH_WORKERS ?? "1",
  });
  await waitForReady(`http://127.0.0.1:${port}/api/ready`);
  return child;
}

/** The baseline: the cheapest possible JSON answer from a Node HTTP server. */
export async function startBareServer(port: number) {
  await assertPortFree(port);
  const code = `require("node:http").createServer((q, s) => { s.setHeader("content-type", "application/json"); s.end('{"ok":true}'); }).listen(${port}, "127.0.0.1");`;
  const child = startDetached(process.execPath, ["-e", code], process.env);
  await waitForReady(`http://127.0.0.1:${port}/`);
  return child;
}
