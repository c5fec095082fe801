import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { RoutingDashboard } from "@/components/routing/routing-dashboard";
import { routingFiltersFromParams } from "@/components/routing/filters";

export const metadata = { title: "Routing · Arbiter" };

export default async function RoutingPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const filters = routingFiltersFromParams(new URLSearchParams(Object.entries(await searchParams).filter((e): e is [string, string] => !!e[1])));
  const qc = getQueryClient();
  await Promise.all([
    qc.prefetchQuery(trpc.routing.metrics.queryOptions(filters)),
    qc.prefetchQuery(trpc.routing.decisions.queryOptions({ ...filters, limit: 25 })),
    qc.prefetchQuery(trpc.routing.taskTypes.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <h1>Routing</h1>
      <RoutingDashboard />
    </HydrateClient>
  );
}
