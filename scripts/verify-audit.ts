// Verifies every audit hash chain (each tenant's and the platform's) in the database at DATABASE_URL.
// Exit code 0 when all verify, 1 when any is broken.
//
//   DATABASE_URL=postgres://... npm run audit:verify
import { createDb } from "@/server/db/client";
import { verifyAuditChain } from "@/server/audit/service";
import { PLATFORM_CHAIN } from "@/server/audit/chain";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("Set DATABASE_URL");
    process.exit(2);
  }
  const db = createDb(url, 2);
  try {
    const chains = await db.auditEvent.findMany({ distinct: ["chainId"], select: { chainId: true } });
    let broken = 0;
    let entries = 0;
    for (const { chainId } of chains) {
      const result = await verifyAuditChain(db, chainId === PLATFORM_CHAIN ? null : chainId);
      entries += result.entries;
      if (!result.ok) {
        broken += 1;
        console.error(`chain ${chainId}: BROKEN at entry ${result.brokenAtSeq}: ${result.reason}`);
      }
    }
    console.log(`audit chains verified: ${chains.length - broken}/${chains.length} intact, ${entries} entries`);
    process.exitCode = broken === 0 ? 0 : 1;
  } finally {
    await db.$disconnect();
  }
}

void main();
