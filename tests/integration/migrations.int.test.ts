import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { createTestDatabase } from "../test-database";
import { migrateDatabase, pendingMigrations } from "@/server/db/migrate";
import { createDb } from "@/server/db/client";

function prisma(args: string[], url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/prisma.mjs", ...args], { env: { ...process.env, DATABASE_URL: url } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("migrations", () => {
  it("migrate a database from zero to exactly schema.prisma (no drift)", async () => {
    const database = await createTestDatabase("arbiter_drift", { migrate: false });
    try {
      await migrateDatabase(database.url);
      // The decision records' lz4 compression, which Prisma cannot model, is on (this server has lz4).
      const db = createDb(database.url, 1);
      const compressed = await db.$queryRaw<{ column: string }[]>`
        SELECT attrelid::regclass::text || '.' || attname AS column FROM pg_attribute WHERE attcompression = 'l' ORDER BY 1`;
      await db.$disconnect();
      expect(compressed.map((c) => c.column)).toEqual([
        "constitutional_decisions.inputs",
        "constitutional_decisions.rules",
        "constitutional_decisions.waiversSkipped",
        "routing_decisions.candidates",
        "routing_decisions.candidatesPacked",
        "routing_decisions.excluded",
      ]);
      const pulled = await prisma(["db", "pull", "--print"], database.url);
      expect(pulled.code).toBe(0);
      const dir = await mkdtemp(path.join(os.tmpdir(), "arbiter-drift-"));
      const schemaFile = path.join(dir, "migrated.prisma");
      await writeFile(schemaFile, pulled.output.slice(pulled.output.indexOf("generator ")).replace(/\n\/\/ These models were enriched[\s\S]*$/, "\n"));
      const diff = await prisma(["migrate", "diff", "--from-schema-datamodel", schemaFile, "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code"], database.url);
      expect(diff.output).toContain("No difference detected");
      expect(diff.code).toBe(0);
    } finally {
      await database.drop();
    }
  });

  it("are safe to apply from several instances at once, and then report nothing pending", async () => {
    const database = await createTestDatabase("arbiter_concurrent", { migrate: false });
    const db = createDb(database.url, 2);
    try {
      await Promise.all([migrateDatabase(database.url), migrateDatabase(database.url), migrateDatabase(database.url)]);
      expect(await pendingMigrations(db)).toEqual([]);
      const committed = (await readdir("prisma/migrations", { withFileTypes: true })).filter((e) => e.isDirectory()).length;
      const applied = async () => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations`)[0]!.n);
      // Each migration applied exactly once, although three instances raced.
      expect(await applied()).toBe(committed);
      // Idempotent: running again changes nothing.
      await migrateDatabase(database.url);
      expect(await applied()).toBe(committed);
      // Decision records are compressed with lz4 (Debian's Postgres has it).
      const compression = await db.$queryRaw<{ attname: string; attcompression: string }[]>`
        SELECT attname::text, attcompression::text FROM pg_attribute
        WHERE attrelid = 'routing_decisions'::regclass AND attname IN ('candidates', 'excluded') ORDER BY attname`;
      expect(compression).toEqual([{ attname: "candidates", attcompression: "l" }, { attname: "excluded", attcompression: "l" }]);
    } finally {
      await db.$disconnect();
      await database.drop();
    }
  });
});
