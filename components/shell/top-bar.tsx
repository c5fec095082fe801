"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { useHydrated } from "@/components/ui/use-hydrated";

const TENANT_COOKIE = "arbiter_tenant";

export function TopBar() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.tenant.me.queryOptions());
  const hydrated = useHydrated();
  if (!me.data) return <header className="topbar muted">Loading…</header>;
  const { tenant, tenants, principal } = me.data;

  function switchTenant(slug: string) {
    document.cookie = `${TENANT_COOKIE}=${encodeURIComponent(slug)}; path=/; samesite=lax; max-age=31536000`;
    // Every cached query belongs to the previous tenant.
    queryClient.clear();
    router.refresh();
  }

  return (
    <header className="topbar">
      <label style={{ flexDirection: "row", alignItems: "center", gap: "0.5rem" }}>
        Tenant
        <select aria-label="Tenant" value={tenant.slug} onChange={(e) => switchTenant(e.target.value)}>
          {tenants.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name} ({t.role})
            </option>
          ))}
        </select>
      </label>
      <span data-testid="signed-in-user">
        {principal.kind === "user" ? principal.email : principal.name} · <span className="badge">{tenant.role}</span>
      </span>
      <button className="secondary" type="button" disabled={!hydrated} onClick={() => void signOut({ callbackUrl: "/sign-in" })}>
        Sign out
      </button>
    </header>
  );
}
