import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { sessionUserId } from "@/server/auth/session";
import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { TRPCReactProvider } from "@/components/trpc/client";
import { Sidebar } from "@/components/shell/sidebar";
import { TopBar } from "@/components/shell/top-bar";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  if (!(await sessionUserId())) redirect("/sign-in");
  await getQueryClient().prefetchQuery(trpc.tenant.me.queryOptions());
  return (
    <TRPCReactProvider>
      <HydrateClient>
        <div className="shell">
          <Sidebar />
          <div>
            <TopBar />
            <main className="content">{children}</main>
          </div>
        </div>
      </HydrateClient>
    </TRPCReactProvider>
  );
}
