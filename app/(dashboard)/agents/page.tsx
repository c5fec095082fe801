import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "Agents · Arbiter" };

export default function AgentsPage() {
  return <EmptyArea title="Agents" purpose="The agent registry will list your agents with their capabilities, status, load and heartbeats." />;
}
