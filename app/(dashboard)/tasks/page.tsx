import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "Tasks · Arbiter" };

export default function TasksPage() {
  return <EmptyArea title="Tasks" purpose="Tasks submitted by your programs will appear here with their lifecycle." />;
}
