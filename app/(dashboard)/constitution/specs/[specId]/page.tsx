import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { SpecDetail } from "@/components/constitution/spec-detail";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Spec · Arbiter" };

export default async function SpecPage({ params }: { params: Promise<{ specId: string }> }) {
  const specId = decodeURIComponent((await params).specId);
  await getQueryClient().prefetchQuery(trpc.constitution.spec.queryOptions({ specId }));
  return (
    <RequirePermission permission="constitution:read">
      <HydrateClient>
        <SpecDetail specId={specId} />
      </HydrateClient>
    </RequirePermission>
  );
}
