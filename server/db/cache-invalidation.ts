// Tells the other server processes (ARBITER_WORKERS, or other instances) when a change makes their
// caches stale: agent pools, routing policies, resolved API tokens. A process that changes
// something drops its own entries at once and announces the change through Postgres
// (NOTIFY arbiter_cache_invalidation, "topic:key"); every process LISTENs and drops its entries too,
// so a revoked token or a drained agent stops being served from another process's cache within
// milliseconds rather than at the end of the cache's lifetime. Without a listener (embedded
// database, tests) only the local drop happens, which is all a single process needs.
import pg from "pg";
import { logger } from "@/server/observability/logger";

export type CacheTopic = "pools" | "routing-policy" | "token";
/** Drops the entries for `key` ("*" = everything: after a reconnect, notices may have been missed). */
type Drop = (key: string) => void;

const CHANNEL = "arbiter_cache_invalidation";
const RECONNECT_MS = 1_000;

// On a global: Next's server bundle can hold more than one instance of this module.
interface State {
  drops: Map<CacheTopic, Drop[]>;
  client: pg.Client | null;
}
const registry = globalThis as unknown as Record<symbol, State | undefined>;
const state = (registry[Symbol.for("arbiter.cacheInvalidation")] ??= { drops: new Map(), client: null });

/** Registers how this process drops its cached entries of `topic`. */
export function onInvalidation(topic: CacheTopic, drop: Drop) {
  const drops = state.drops.get(topic) ?? [];
  drops.push(drop);
  state.drops.set(topic, drops);
}

function dropLocally(topic: CacheTopic, key: string) {
  for (const drop of state.drops.get(topic) ?? []) drop(key);
}

/** Drops `key` of `topic` here at once, and in every other listening process. */
export function invalidate(topic: CacheTopic, key: string) {
  dropLocally(topic, key);
  state.client?.query("SELECT pg_notify($1, $2)", [CHANNEL, `${topic}:${key}`]).catch((err: unknown) => {
    logger.warn({ err, topic }, "cache invalidation not announced; other processes catch up when their entries expire");
  });
}

function isTopic(value: string): value is CacheTopic {
  return value === "pools" || value === "routing-policy" || value === "token";
}

/** LISTENs for other processes' changes until the returned function is called; reconnects on loss. */
export async function startCacheInvalidationListener(connectionString: string): Promise<() => Promise<void>> {
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const client = new pg.Client({ connectionString });
    client.on("notification", ({ channel, payload }) => {
      if (channel !== CHANNEL || !payload) return;
      const split = payload.indexOf(":");
      const topic = payload.slice(0, split);
      if (split > 0 && isTopic(topic)) dropLocally(topic, payload.slice(split + 1));
    });
    let gone = false;
    const lost = (err?: unknown) => {
      if (gone) return;
      gone = true;
      if (state.client === client) state.client = null;
      if (stopped) return;
      logger.warn({ err }, "cache invalidation listener lost its connection; reconnecting");
      retry = setTimeout(() => void connect(), RECONNECT_MS);
      retry.unref();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      state.client = client;
      // Whatever was announced while this process was not listening is unknown: start afresh.
      for (const topic of state.drops.keys()) dropLocally(topic, "*");
    } catch (err) {
      lost(err);
      await client.end().catch(() => undefined);
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const client = state.client;
    state.client = null;
    await client?.end().catch(() => undefined);
  };
}
