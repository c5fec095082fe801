import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { DecisionsDashboard } from "@/components/constitution/decisions-dashboard";
import { decisionFiltersFromParams } from "@/components/constitution/decision-filters";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Decisions · Arbiter" };

export default async function DecisionsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const filters = decisionFiltersFromParams(new URLSearchParams(Object.entries(await searchParams).filter((e): e is [string, string] => !!e[1])));
  const qc = getQueryClient();
  await Promise.all([qc.prefetchQuery(trpc.constitution.decisionMetrics.queryOptions({ days: filters.days })), qc.prefetchQuery(trpc.constitution.decisions.queryOptions({ ...filters, limit: 25 }))]);
  return (
    <RequirePermission permission="constitution:read">
      <HydrateClient>
        <h1>Decisions</h1>
        <p className="muted">Every task&apos;s constitutional check: allow, deny or needs_waiver, with each rule&apos;s result.</p>
        <DecisionsDashboard />
      </HydrateClient>
    </RequirePermission>
  );
}
