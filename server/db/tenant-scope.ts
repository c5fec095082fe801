// Runs tenant-scoped work inside one transaction as the arbiter_app role (subject to row-level
// security) with the tenant set for that transaction only. The work's writes commit only if it
// succeeds.
import { poolOf, type RootDb, type Tx } from "./client";
import { TRANSACTION_OPTIONS } from "./transaction";
import { enterTenantScope, runDirectTransaction, type DirectTransaction, type SqlDb } from "./direct-sql";

export async function runInTenantScope<T>(root: RootDb, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return root.$transaction(async (tx) => {
    // Both settings are transaction-local: the pooled connection returns to the pool clean.
    const leave = await enterTenantScope(tx, tenantId);
    try {
      return await work(tx);
    } finally {
      leave();
    }
  }, TRANSACTION_OPTIONS);
}

/**
 * Like runInTenantScope, for work that runs direct SQL only (direct-sql.ts): the transaction is run
 * on a connection of the client's pool without Prisma, whose interactive transaction cost ~0.6 ms
 * of CPU per transaction more (the batched submit and outcome paths run one per batch).
 */
export function runInDirectTenantScope<T>(root: RootDb, tenantId: string, work: (tx: DirectTransaction) => Promise<T>): Promise<T> {
  return runDirectTransaction(poolOf(root), tenantId, TRANSACTION_OPTIONS.timeout, work);
}

/** A tenant transaction of its own for work that takes direct SQL: `(work) => runInDirectTenantScope(root, tenantId, work)`. */
export type SqlScope = <T>(work: (db: SqlDb) => Promise<T>) => Promise<T>;

/** Runs work in the caller's tenant scope: the transaction already open, or one opened for it. */
export type TenantScope = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/** A database handle, or a scope that opens the tenant transaction only when work needs it (code
 *  that is usually served from a cache then costs no round trip on a hit). */
export type DbSource = SqlDb | TenantScope;

export function withDb<T>(source: DbSource, work: (db: SqlDb) => Promise<T>): Promise<T> {
  return typeof source === "function" ? source(work) : work(source);
}
