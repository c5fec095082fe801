// Start-up sequence, run once per server process before it serves (instrumentation.ts):
// database (external or embedded) -> migrations -> first-run seed -> auth secrets.
import path from "node:path";
import { getDb } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { migrateDatabase } from "./migrate";
import { DEMO_CREDENTIALS, seedDemoTenant } from "./demo-seed";
import { ensureAuthSecret, ensureAuthUrl } from "./secrets";
import { ensureJwtKeys } from "@/server/auth/jwt-keys";
import { ensureSecretsKey } from "@/server/security/secret-box";
import { logger } from "@/server/observability/logger";
import { onShutdown } from "@/server/shutdown";
import { startCacheInvalidationListener } from "./cache-invalidation";
import { markSilentAgentsOffline } from "@/server/registry/service";
import { reevaluateRenewedBudgets } from "@/server/constitution/reevaluation";
import { recordEndedWaivers } from "@/server/constitution/waiver-service";

const BUDGET_RENEWAL_SWEEP_MS = 60_000;

const HEARTBEAT_SWEEP_MS = 15_000;

export async function bootstrap(projectRoot = process.cwd()): Promise<void> {
  const started = Date.now();
  const dataDir = process.env.ARBITER_DATA_DIR ?? path.join(/*turbopackIgnore: true*/ projectRoot, ".data");
  const embedded = !process.env.DATABASE_URL;
  if (embedded) {
    const pg = await startEmbeddedPostgres(dataDir);
    process.env.DATABASE_URL = pg.url;
    process.env.ARBITER_EMBEDDED_DB = "1";
    // PGlite is one Postgres backend: its socket server interleaves the protocol messages of
    // concurrent connections, so the app uses exactly one connection (queries queue in the pool).
    process.env.DATABASE_POOL_SIZE = "1";
    logger.info({ dataDir }, "embedded Postgres started (no DATABASE_URL set)");
    onShutdown(async () => {
      await pg.stop();
      logger.info("embedded Postgres stopped");
    });
  }
  await migrateDatabase(process.env.DATABASE_URL!, projectRoot);
  await ensureAuthSecret(dataDir, embedded);
  await ensureJwtKeys(dataDir, embedded);
  await ensureSecretsKey(dataDir, embedded);
  ensureAuthUrl();
  if (embedded && (await seedDemoTenant(getDb()))) {
    const message = `Demo tenant created. Sign in at ${process.env.NEXTAUTH_URL}/sign-in with ${DEMO_CREDENTIALS.email} / ${DEMO_CREDENTIALS.password}`;
    logger.info(message);
    console.log(`\n  ${message}\n`);
  }
  if (!embedded) {
    // The embedded database serves one connection and one process: nothing to tell anyone.
    const stopListening = await startCacheInvalidationListener(process.env.DATABASE_URL!);
    onShutdown(stopListening);
  }
  startHeartbeatSweep();
  startConstitutionSweeps();
  logger.info({ ms: Date.now() - started, embedded }, "bootstrap complete");
}

/** Marks agents offline when their heartbeat stops. Safe on several instances (SKIP LOCKED). */
function startHeartbeatSweep() {
  const timer = setInterval(() => {
    markSilentAgentsOffline(getDb())
      .then((n) => n > 0 && logger.info({ agents: n }, "agents marked offline for missing heartbeats"))
      .catch((err: unknown) => logger.error({ err }, "heartbeat sweep failed"));
  }, HEARTBEAT_SWEEP_MS);
  timer.unref();
}

/** Tasks that waited only on a daily or monthly budget get evaluated again once it renews; waivers
 *  that expired or lapsed get their audit entries. */
function startConstitutionSweeps() {
  const timer = setInterval(() => {
    reevaluateRenewedBudgets(getDb())
      .then((n) => n > 0 && logger.info({ tasks: n }, "tasks waiting on renewed budgets re-evaluated"))
      .catch((err: unknown) => logger.error({ err }, "budget renewal sweep failed"));
    recordEndedWaivers(getDb())
      .then((n) => n > 0 && logger.info({ waivers: n }, "expired or lapsed waivers recorded"))
      .catch((err: unknown) => logger.error({ err }, "waiver expiry sweep failed"));
  }, BUDGET_RENEWAL_SWEEP_MS);
  timer.unref();
}

/** A server that cannot reach its database, migrate it, or find its secrets must not serve. */
export async function bootstrapOrExit(): Promise<void> {
  try {
    await bootstrap();
  } catch (error) {
    console.error(`Arbiter cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
