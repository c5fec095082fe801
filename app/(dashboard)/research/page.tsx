import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "Research · Arbiter" };

export default function ResearchPage() {
  return <EmptyArea title="Research" purpose="Research queries and the knowledge base will live here." />;
}
