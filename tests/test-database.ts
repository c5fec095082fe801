// Throwaway databases for tests: created on the Postgres server at TEST_DATABASE_URL (or the local
// server on 127.0.0.1:5432), migrated from zero, dropped afterwards. When no server is reachable,
// an embedded PGlite is used instead, and the run says so.
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import pg from "pg";
import { migrateDatabase } from "@/server/db/migrate";
import { startEmbeddedPostgres } from "@/server/db/embedded";

const DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  kind: "server" | "embedded";
  drop(): Promise<void>;
}

export async function createTestDatabase(label = "arbiter_test", { migrate = true } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return createEmbedded(migrate, error);
  }
  const name = `${label}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (migrate) await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    kind: "server",
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function createEmbedded(migrate: boolean, cause: unknown): Promise<TestDatabase> {
  console.warn(`[tests] No Postgres server reachable (${String(cause)}); using an embedded PGlite database instead.`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "arbiter-test-pglite-"));
  const embedded = await startEmbeddedPostgres(dir);
  if (migrate) await migrateDatabase(embedded.url);
  return {
    url: embedded.url,
    kind: "embedded",
    async drop() {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
