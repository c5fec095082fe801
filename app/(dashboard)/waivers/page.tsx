import { HydrateClient, getQueryClient, serverCaller, trpc } from "@/components/trpc/server";
import { WaiversPage as Waivers } from "@/components/waivers/waivers-page";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Waivers · Arbiter" };

export default async function WaiversPage() {
  await getQueryClient().prefetchQuery(trpc.waivers.list.queryOptions({ view: "pending", limit: 100 }));
  const me = await (await serverCaller()).tenant.me();
  return (
    <RequirePermission permission="waivers:read">
      <HydrateClient>
        <h1>Waivers</h1>
        <p className="muted">
          A waiver lets tasks through a failed gate or raises their change budget, once enough distinct people approve it. Nobody approves their own request.
        </p>
        <Waivers canRequest={me.permissions.includes("waivers:request")} />
      </HydrateClient>
    </RequirePermission>
  );
}
