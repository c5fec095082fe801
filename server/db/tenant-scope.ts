// Runs tenant-scoped work inside one transaction as the arbiter_app role (subject to row-level
// security) with the tenant set for that transaction only. The work's writes commit only if it
// succeeds.
import type { RootDb, Tx } from "./client";
import { TRANSACTION_OPTIONS } from "./transaction";

export async function runInTenantScope<T>(root: RootDb, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return root.$transaction(async (tx) => {
    // Both settings are transaction-local: the pooled connection returns to the pool clean.
    await tx.$executeRaw`SELECT set_config('arbiter.tenant_id', ${tenantId}, true), set_config('role', 'arbiter_app', true)`;
    return work(tx);
  }, TRANSACTION_OPTIONS);
}
