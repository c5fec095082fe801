// The application's Prisma client: one per process, through the pg driver adapter, created on first
// use so that the embedded database (when there is no DATABASE_URL) can set the URL first.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { PreparingClient, preparedStatementsEnabled } from "./prepared-statements";

import type { Prisma } from "./generated/client";

/** The root client, or a transaction that domain code runs inside (tenant-scoped requests). */
export type Db = PrismaClient | Prisma.TransactionClient;
export type Tx = Prisma.TransactionClient;
export type RootDb = PrismaClient;
export type { Prisma } from "./generated/client";

const globalForDb = globalThis as unknown as { arbiterDb?: PrismaClient };

export function createDb(connectionString: string, maxConnections = 10): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: maxConnections, ...(preparedStatementsEnabled() ? { Client: PreparingClient } : {}) });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  if (!globalForDb.arbiterDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: the database bootstrap has not run");
    globalForDb.arbiterDb = createDb(url, Number(process.env.DATABASE_POOL_SIZE ?? 10));
  }
  return globalForDb.arbiterDb;
}
