import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { DecisionRecord } from "@/components/routing/decision-record";

export const metadata = { title: "Decision record · Arbiter" };

export default async function DecisionPage({ params }: { params: Promise<{ decisionId: string }> }) {
  const { decisionId } = await params;
  await getQueryClient().prefetchQuery(trpc.routing.decision.queryOptions({ decisionId }));
  return (
    <HydrateClient>
      <DecisionRecord decisionId={decisionId} />
    </HydrateClient>
  );
}
