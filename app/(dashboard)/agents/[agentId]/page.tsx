import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { AgentDetail } from "@/components/agents/agent-detail";

export const metadata = { title: "Agent · Arbiter" };

export default async function AgentPage({ params }: { params: Promise<{ agentId: string }> }) {
  const { agentId } = await params;
  await getQueryClient().prefetchQuery(trpc.agents.get.queryOptions({ agentId }));
  return (
    <HydrateClient>
      <AgentDetail agentId={agentId} />
    </HydrateClient>
  );
}
