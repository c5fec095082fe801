// Work to do when the server stops (SIGTERM/SIGINT), after the HTTP server has finished the calls in
// flight. server/http/serve.mjs runs the hooks; they live on a global because Next's bundle and the
// server script are separate module graphs.
const SHUTDOWN_HOOKS = Symbol.for("arbiter.shutdownHooks");

export function onShutdown(hook: () => Promise<unknown>) {
  const registry = globalThis as unknown as Record<symbol, (() => Promise<unknown>)[] | undefined>;
  (registry[SHUTDOWN_HOOKS] ??= []).push(hook);
}
