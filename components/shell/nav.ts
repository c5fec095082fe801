// The dashboard's areas, in navigation order. `permission` hides an area the role cannot use.
import type { Action } from "@/server/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  permission?: Action;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/agents", label: "Agents" },
  { href: "/routing", label: "Routing" },
  { href: "/tasks", label: "Tasks" },
  { href: "/constitution", label: "Constitution", permission: "constitution:read" },
  { href: "/decisions", label: "Decisions", permission: "constitution:read" },
  { href: "/waivers", label: "Waivers", permission: "waivers:read" },
  { href: "/budgets", label: "Budgets", permission: "constitution:read" },
  { href: "/audit", label: "Audit" },
  { href: "/research", label: "Research" },
  { href: "/knowledge", label: "Knowledge base" },
  { href: "/system", label: "System" },
  { href: "/settings/tokens", label: "API tokens", permission: "tokens:read" },
  { href: "/settings/members", label: "Members", permission: "members:read" },
  { href: "/settings/limits", label: "Rate limits", permission: "limits:read" },
  { href: "/settings/roles", label: "Roles" },
];
