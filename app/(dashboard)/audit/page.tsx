import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { AuditTable } from "@/components/audit/audit-table";
import { auditFiltersFromParams } from "@/components/audit/filters";

export const metadata = { title: "Audit · Arbiter" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const filters = auditFiltersFromParams(new URLSearchParams(Object.entries(await searchParams).filter((e): e is [string, string] => !!e[1])));
  await getQueryClient().prefetchQuery(trpc.audit.list.queryOptions(filters));
  return (
    <HydrateClient>
      <h1>Audit log</h1>
      <AuditTable />
    </HydrateClient>
  );
}
