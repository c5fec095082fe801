import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { RequirePermission } from "@/components/settings/require-permission";
import { ApiTokens } from "@/components/settings/api-tokens";

export const metadata = { title: "API tokens · Arbiter" };

export default async function TokensPage() {
  return (
    <RequirePermission permission="tokens:read">
      <TokensContent />
    </RequirePermission>
  );
}

async function TokensContent() {
  await getQueryClient().prefetchQuery(trpc.tokens.list.queryOptions());
  return (
    <HydrateClient>
      <h1>API tokens</h1>
      <ApiTokens />
    </HydrateClient>
  );
}
