import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { WaiverDetail } from "@/components/waivers/waiver-detail";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Waiver · Arbiter" };

export default async function WaiverPage({ params }: { params: Promise<{ waiverId: string }> }) {
  const { waiverId } = await params;
  await getQueryClient().prefetchQuery(trpc.waivers.get.queryOptions({ waiverId }));
  return (
    <RequirePermission permission="waivers:read">
      <HydrateClient>
        <WaiverDetail waiverId={waiverId} />
      </HydrateClient>
    </RequirePermission>
  );
}
