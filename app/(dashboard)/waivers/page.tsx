import { EmptyArea } from "@/components/ui/empty-area";

export const metadata = { title: "Waivers · Arbiter" };

export default function WaiversPage() {
  return <EmptyArea title="Waivers" purpose="Waiver requests that need your approval will be queued here." />;
}
