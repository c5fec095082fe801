import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { RequirePermission } from "@/components/settings/require-permission";
import { Members } from "@/components/settings/members";

export const metadata = { title: "Members · Arbiter" };

export default async function MembersPage() {
  return (
    <RequirePermission permission="members:read">
      <MembersContent />
    </RequirePermission>
  );
}

async function MembersContent() {
  await getQueryClient().prefetchQuery(trpc.members.list.queryOptions());
  return (
    <HydrateClient>
      <h1>Members</h1>
      <Members />
    </HydrateClient>
  );
}
