import { HydrateClient, getQueryClient, serverCaller, trpc } from "@/components/trpc/server";
import { BudgetsDashboard } from "@/components/budgets/budgets-dashboard";
import { RequirePermission } from "@/components/settings/require-permission";

export const metadata = { title: "Budgets · Arbiter" };

export default async function BudgetsPage() {
  await getQueryClient().prefetchQuery(trpc.budgets.overview.queryOptions());
  const me = await (await serverCaller()).tenant.me();
  return (
    <RequirePermission permission="constitution:read">
      <HydrateClient>
        <h1>Budgets</h1>
        <p className="muted">Tasks per day and cost units per month (from reported task cost), tenant-wide or per task type; usage is counted as tasks are assigned and report their cost. Days and months are UTC.</p>
        <BudgetsDashboard canWrite={me.permissions.includes("constitution:write")} />
      </HydrateClient>
    </RequirePermission>
  );
}
