import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "Budgets · Arbiter" };

export default function BudgetsPage() {
  return <EmptyArea title="Budgets" purpose="Task and cost budgets with their usage will be shown here." />;
}
