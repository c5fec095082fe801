import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { DryRunForm } from "@/components/constitution/dry-run-form";
import { ConstitutionTabs } from "@/components/constitution/tabs";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Dry run · Arbiter" };

export default async function DryRunPage() {
  const qc = getQueryClient();
  await Promise.all([qc.prefetchQuery(trpc.constitution.specs.queryOptions()), qc.prefetchQuery(trpc.constitution.policyVersions.queryOptions())]);
  return (
    <RequirePermission permission="constitution:evaluate">
      <HydrateClient>
        <h1>Constitution</h1>
        <ConstitutionTabs current="/constitution/dry-run" />
        <DryRunForm />
      </HydrateClient>
    </RequirePermission>
  );
}
