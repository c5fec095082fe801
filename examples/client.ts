// A programmatic Arbiter client: @trpc/client over HTTP with an API token.
//
//   ARBITER_URL=http://localhost:3000 ARBITER_TOKEN=arb_... npx tsx examples/client.ts
//
// It prints who the token acts as, the tenant, and the tenant's latest audit events.
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/root";

const baseUrl = process.env.ARBITER_URL ?? "http://localhost:3000";
const token = process.env.ARBITER_TOKEN;
if (!token) {
  console.error("Set ARBITER_TOKEN to an API token (Settings → API tokens in the dashboard).");
  process.exit(2);
}

const arbiter = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: `${baseUrl}/api/trpc`,
      transformer: superjson,
      headers: { authorization: `Bearer ${token}` },
    }),
  ],
});

async function main() {
  const { actor } = await arbiter.tenant.whoami.query();
  const me = await arbiter.tenant.me.query();
  console.log(`Authenticated as ${actor.label} in tenant "${me.tenant.name}" (${me.tenant.slug}) with role ${me.tenant.role}`);
  console.log(`Permissions: ${me.permissions.join(", ")}`);
  if (me.permissions.includes("audit:read")) {
    const events = await arbiter.audit.list.query({ limit: 5 });
    for (const e of events.items) console.log(`  #${e.seq} ${e.createdAt.toISOString()} ${e.actorLabel} ${e.action}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof TRPCClientError) {
    console.error(`Arbiter refused the call: ${error.message} (${error.data?.code ?? "no code"})`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
