// The application's Prisma client: one per process, through the pg driver adapter, created on first
// use so that the embedded database (when there is no DATABASE_URL) can set the URL first.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { PreparingClient, preparedStatementsEnabled } from "./prepared-statements";

import type { Prisma } from "./generated/client";

/** The root client, or a transaction that domain code runs inside (tenant-scoped requests). */
export type Db = PrismaClient | Prisma.TransactionClient;
export type Tx = Prisma.TransactionClient;
export type RootDb = PrismaClient;
export type { Prisma } from "./generated/client";

const globalForDb = globalThis as unknown as { arbiterDb?: PrismaClient };

// Each client's connection pool is ours, lent to Prisma's adapter, so that a batched hot path can
// run its tenant transaction on a connection of the same pool without Prisma (tenant-scope.ts).
// On a global: Next's server bundle can hold more than one instance of this module (the client is
// made by the bootstrap's, the API handler asks another), and both must see the same map.
const poolRegistry = globalThis as unknown as Record<symbol, WeakMap<PrismaClient, pg.Pool> | undefined>;
const pools = (poolRegistry[Symbol.for("arbiter.pools")] ??= new WeakMap());

export function createDb(connectionString: string, maxConnections = 10): PrismaClient {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    // As long as a Prisma transaction waits for a connection (TRANSACTION_OPTIONS.maxWait).
    connectionTimeoutMillis: 10_000,
    // A statement sent while the one before it is still running goes out at once instead of
    // waiting for its reply (runDirectTransaction sends BEGIN with the first statement this way).
    // Statements awaited one by one, as Prisma's are, go out exactly as without it.
    pipeline: true,
    ...(preparedStatementsEnabled() ? { Client: PreparingClient } : {}),
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/** The connection pool under a client made by createDb. */
export function poolOf(db: RootDb): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("this Prisma client was not made by createDb: it has no pool of ours");
  return pool;
}

export function getDb(): PrismaClient {
  if (!globalForDb.arbiterDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: the database bootstrap has not run");
    globalForDb.arbiterDb = createDb(url, Number(process.env.DATABASE_POOL_SIZE ?? 10));
  }
  return globalForDb.arbiterDb;
}
