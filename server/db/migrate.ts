// Applies committed migrations (`prisma migrate deploy`) on start. Several instances may start at
// once: each holds a Postgres advisory lock while it migrates, so they take turns and the later
// ones find nothing pending.
import { spawn } from "node:child_process";
import path from "node:path";
import { readdir } from "node:fs/promises";
import pg from "pg";

const MIGRATION_LOCK_KEY = 7_246_661; // arbitrary, fixed: "the Arbiter migration lock"

export async function migrateDatabase(url: string, projectRoot = process.cwd()): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    return await runPrismaCli(["migrate", "deploy"], url, projectRoot);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Spawned asynchronously: with the embedded database, the socket the CLI talks to is served
 *  by this very process, so a synchronous spawn would deadlock. */
function runPrismaCli(args: string[], url: string, projectRoot: string): Promise<string> {
  const script = path.join(/*turbopackIgnore: true*/ projectRoot, "scripts", "prisma.mjs");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`prisma ${args.join(" ")} failed (exit ${code}):\n${output}`)),
    );
  });
}

/** Migrations committed in prisma/migrations that the database has not (successfully) applied. */
export async function pendingMigrations(
  db: { $queryRaw: <T>(query: TemplateStringsArray) => Promise<T> },
  projectRoot = process.cwd(),
): Promise<string[]> {
  const dir = path.join(/*turbopackIgnore: true*/ projectRoot, "prisma", "migrations");
  const committed = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const applied = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const done = new Set(applied.map((r) => r.migration_name));
  return committed.filter((name) => !done.has(name)).sort();
}
