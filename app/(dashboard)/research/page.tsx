import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "Research · Arbiter" };

export default function ResearchPage() {
  return <EmptyArea title="Research" purpose="Research queries through web search providers (with fallback, breakers and caching) will run here. The local knowledge base is already available under Knowledge base." />;
}
