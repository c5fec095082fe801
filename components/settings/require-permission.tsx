// Server-side gate for settings pages: the page renders only when the role holds the permission.
import type { ReactNode } from "react";
import type { Action } from "@/server/auth/permissions";
import { redirect } from "next/navigation";
import { serverCaller } from "@/components/trpc/server";
import { sessionUserId } from "@/server/auth/session";

export async function RequirePermission({ permission, children }: { permission: Action; children: ReactNode }) {
  // The layout redirects too, but pages render in parallel with it.
  if (!(await sessionUserId())) redirect("/sign-in");
  const me = await (await serverCaller()).tenant.me();
  if (!me.permissions.includes(permission)) {
    return (
      <div className="empty" role="note">
        <h1>Not allowed</h1>
        <p>
          Your role in {me.tenant.name} is <strong>{me.tenant.role}</strong>, which does not include this page ({permission}).
          Ask an owner if you need access.
        </p>
      </div>
    );
  }
  return <>{children}</>;
}
