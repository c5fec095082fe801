import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { DecisionDetail } from "@/components/constitution/decision-detail";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Decision · Arbiter" };

export default async function DecisionPage({ params }: { params: Promise<{ decisionId: string }> }) {
  const { decisionId } = await params;
  await getQueryClient().prefetchQuery(trpc.constitution.decision.queryOptions({ id: decisionId }));
  return (
    <RequirePermission permission="constitution:read">
      <HydrateClient>
        <DecisionDetail decisionId={decisionId} />
      </HydrateClient>
    </RequirePermission>
  );
}
