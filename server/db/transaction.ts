// Transactions that compose: a service that needs one opens it on the root client, or joins the
// transaction it is already running in (a tenant-scoped request runs inside one, see tenant-scope.ts).
import type { Db, Tx } from "./client";

export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return "$transaction" in db ? db.$transaction(work, TRANSACTION_OPTIONS) : work(db);
}
