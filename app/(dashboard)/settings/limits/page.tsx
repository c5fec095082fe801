import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { RequirePermission } from "@/components/settings/require-permission";
import { RateLimits } from "@/components/settings/rate-limits";

export const metadata = { title: "Rate limits · Arbiter" };

export default async function RateLimitsPage() {
  return (
    <RequirePermission permission="limits:read">
      <Content />
    </RequirePermission>
  );
}

async function Content() {
  await getQueryClient().prefetchQuery(trpc.security.rateLimits.queryOptions());
  return (
    <HydrateClient>
      <h1>Rate limits</h1>
      <RateLimits />
    </HydrateClient>
  );
}
