// Transactions that compose: a service that needs one opens it on the root client, or joins the
// transaction it is already running in (a tenant-scoped request runs inside one, see tenant-scope.ts).
import type { Db, Tx } from "./client";
import type { SqlDb } from "./direct-sql";

export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T>;
/** Work that runs direct SQL only may also join a direct transaction (direct-sql.ts). */
export function inTransaction<T>(db: SqlDb, work: (tx: SqlDb) => Promise<T>): Promise<T>;
export function inTransaction<T>(db: SqlDb, work: (tx: Tx) => Promise<T>): Promise<T> {
  // Without $transaction, db is already a transaction: Prisma's (a Tx) or, only for work typed for
  // SqlDb (the second signature), a direct one.
  return "$transaction" in db ? db.$transaction(work, TRANSACTION_OPTIONS) : work(db as Tx);
}
