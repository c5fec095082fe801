"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { NAV_ITEMS } from "./nav";

export function Sidebar() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const me = useQuery(trpc.tenant.me.queryOptions());
  const allowed = new Set<string>(me.data?.permissions ?? []);
  // The pending-waiver badge stays current without a reload.
  const waivers = useQuery({ ...trpc.waivers.counts.queryOptions(), enabled: allowed.has("waivers:read"), refetchInterval: 5000 });
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">Arbiter</div>
      <div>
        {NAV_ITEMS.filter((item) => !item.permission || allowed.has(item.permission)).map((item) => {
          const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
          return (
            <Link key={item.href} href={item.href} aria-current={active ? "page" : undefined}>
              {item.label}
              {item.href === "/waivers" && waivers.data && waivers.data.pending > 0 ? (
                <span className="badge" data-testid="pending-waivers" aria-label={`${waivers.data.pending} pending`}>
                  {waivers.data.pending}
                </span>
              ) : null}
            </Link>
          );
        })}
      </div>
    </nav>
  );
}
