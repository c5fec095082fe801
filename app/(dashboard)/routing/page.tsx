import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "Routing · Arbiter" };

export default function RoutingPage() {
  return <EmptyArea title="Routing" purpose="Routing metrics will show how tasks are routed to agents and how the bandit learns." />;
}
