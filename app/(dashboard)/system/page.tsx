import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "System · Arbiter" };

export default function SystemPage() {
  return <EmptyArea title="System" purpose="Health of providers, queues and circuit breakers will be shown here." />;
}
