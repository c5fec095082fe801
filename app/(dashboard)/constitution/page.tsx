import { HydrateClient, getQueryClient, serverCaller, trpc } from "@/components/trpc/server";
import { PolicyEditor } from "@/components/constitution/policy-editor";
import { ConstitutionTabs } from "@/components/constitution/tabs";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Policy · Arbiter" };

export default async function PolicyPage() {
  await getQueryClient().prefetchQuery(trpc.constitution.policyVersions.queryOptions());
  const me = await (await serverCaller()).tenant.me();
  return (
    <RequirePermission permission="constitution:read">
      <HydrateClient>
        <h1>Constitution</h1>
        <ConstitutionTabs current="/constitution" />
        <p className="muted">
          Every task is checked against the active policy before it can be assigned: its spec, scope, change budget, the quality gates of its risk tier and the
          tenant&apos;s budgets.
        </p>
        <PolicyEditor canWrite={me.permissions.includes("constitution:write")} />
      </HydrateClient>
    </RequirePermission>
  );
}
