// Loads a signed-in user's principal (with live memberships) and picks the tenant a request acts in.
import type { Db } from "@/server/db/client";
import type { Principal, UserPrincipal } from "@/server/auth/principal";
import type { Role } from "@/server/auth/permissions";

export async function loadUserPrincipal(db: Db, userId: string): Promise<UserPrincipal | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { include: { tenant: true }, orderBy: { createdAt: "asc" } } },
  });
  if (!user) return null;
  return {
    kind: "user",
    userId: user.id,
    email: user.email,
    name: user.name,
    isPlatformAdmin: user.isPlatformAdmin,
    memberships: user.memberships.map((m) => ({
      tenantId: m.tenantId,
      tenantSlug: m.tenant.slug,
      tenantName: m.tenant.name,
      role: m.role,
    })),
  };
}

export interface ActiveTenant {
  id: string;
  role: Role;
}

/**
 * The tenant a request acts in. A token is bound to its own tenant; a user acts in the tenant they
 * selected (by slug) if they are a member of it, otherwise in their first tenant. The selection is
 * never trusted on its own: it only picks among the principal's memberships. A platform admin may
 * act in any existing tenant as owner.
 */
export async function resolveActiveTenant(
  db: Db,
  principal: Principal,
  selectedSlug: string | null,
): Promise<ActiveTenant | null> {
  if (principal.kind === "token") return { id: principal.tenantId, role: principal.role };
  const selected = selectedSlug ? principal.memberships.find((m) => m.tenantSlug === selectedSlug) : undefined;
  if (selected) return { id: selected.tenantId, role: selected.role };
  if (selectedSlug && principal.isPlatformAdmin) {
    const tenant = await db.tenant.findUnique({ where: { slug: selectedSlug }, select: { id: true } });
    if (tenant) return { id: tenant.id, role: "owner" };
  }
  const first = principal.memberships[0];
  return first ? { id: first.tenantId, role: first.role } : null;
}
