import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { ResearchConsole } from "@/components/research/research-console";

export const metadata = { title: "Research · Arbiter" };

export default async function ResearchPage() {
  await getQueryClient().prefetchQuery(trpc.research.cache.queryOptions());
  return (
    <HydrateClient>
      <h1>Research</h1>
      <ResearchConsole />
    </HydrateClient>
  );
}
