import { HydrateClient, getQueryClient, serverCaller, trpc } from "@/components/trpc/server";
import { SpecLibrary } from "@/components/constitution/spec-library";
import { ConstitutionTabs } from "@/components/constitution/tabs";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Specs · Arbiter" };

export default async function SpecsPage() {
  await getQueryClient().prefetchQuery(trpc.constitution.specs.queryOptions());
  const me = await (await serverCaller()).tenant.me();
  return (
    <RequirePermission permission="constitution:read">
      <HydrateClient>
        <h1>Constitution</h1>
        <ConstitutionTabs current="/constitution/specs" />
        <SpecLibrary canWrite={me.permissions.includes("constitution:write")} />
      </HydrateClient>
    </RequirePermission>
  );
}
