import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { OverviewFigures } from "@/components/overview/overview-figures";

export const metadata = { title: "Overview · Arbiter" };

export default async function OverviewPage() {
  await getQueryClient().prefetchQuery(trpc.tenant.overview.queryOptions({ days: 14 }));
  return (
    <HydrateClient>
      <h1>Overview</h1>
      <OverviewFigures days={14} />
    </HydrateClient>
  );
}
