import { z } from "zod";
import { authedProcedure, permittedProcedure, router } from "../init";
import { tenantOverview } from "@/server/overview/service";
import { PERMISSIONS, ROLES, roleAllows, scopesAllow, type Action } from "@/server/auth/permissions";

export const tenantRouter = router({
  /** Who am I, which tenants can I act in, which one is active, and what may I do there. */
  me: permittedProcedure("tenant:read").query(async ({ ctx }) => {
    const tenant = await ctx.db.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id } });
    const allowed = (Object.keys(PERMISSIONS) as Action[]).filter(
      (a) => roleAllows(ctx.tenant.role, a) && (ctx.principal.kind === "user" || scopesAllow(ctx.principal.scopes, a)),
    );
    return {
      principal:
        ctx.principal.kind === "user"
          ? { kind: "user" as const, email: ctx.principal.email, name: ctx.principal.name }
          : { kind: "token" as const, name: ctx.principal.tokenName },
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, role: ctx.tenant.role },
      tenants:
        ctx.principal.kind === "user"
          ? ctx.principal.memberships.map((m) => ({ slug: m.tenantSlug, name: m.tenantName, role: m.role }))
          : [{ slug: tenant.slug, name: tenant.name, role: ctx.tenant.role }],
      permissions: allowed,
    };
  }),
  overview: permittedProcedure("tenant:read")
    .input(z.object({ days: z.number().int().min(1).max(90).default(14) }))
    .query(({ ctx, input }) => tenantOverview(ctx.db, ctx.tenant.id, input.days)),
  /** The permission matrix and every procedure's required permission (Settings → Roles). */
  roles: permittedProcedure("tenant:read").query(async () => {
    const { listProcedures } = await import("../procedures");
    return { roles: ROLES, permissions: PERMISSIONS, procedures: listProcedures() };
  }),
  /** Liveness of the caller's credential, for programmatic clients. */
  whoami: authedProcedure.meta({ access: "authenticated" }).query(({ ctx }) => ({ actor: ctx.actor })),
});
