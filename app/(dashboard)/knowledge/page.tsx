import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { KnowledgeBase } from "@/components/knowledge/knowledge-base";

export const metadata = { title: "Knowledge base · Arbiter" };

export default async function KnowledgePage() {
  await getQueryClient().prefetchQuery(trpc.knowledge.list.queryOptions({}));
  return (
    <HydrateClient>
      <h1>Knowledge base</h1>
      <KnowledgeBase />
    </HydrateClient>
  );
}
