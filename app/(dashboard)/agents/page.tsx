import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { AgentsTable } from "@/components/agents/agents-table";
import { agentFiltersFromParams } from "@/components/agents/filters";

export const metadata = { title: "Agents · Arbiter" };

export default async function AgentsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = new URLSearchParams(Object.entries(await searchParams).filter((e): e is [string, string] => !!e[1]));
  await getQueryClient().prefetchQuery(trpc.agents.list.queryOptions(agentFiltersFromParams(params)));
  return (
    <HydrateClient>
      <h1>Agents</h1>
      <AgentsTable />
    </HydrateClient>
  );
}
