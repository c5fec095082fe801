// The "who is acting" record that domain services take, built from a tenant procedure's context.
import type { AuditActor } from "@/server/audit/service";
import type { Principal } from "@/server/auth/principal";
import type { Role } from "@/server/auth/permissions";

export interface TenantContext {
  principal: Principal;
  actor: AuditActor;
  tenant: { id: string; role: Role };
  requestId: string;
}

export function serviceCaller(ctx: TenantContext) {
  return {
    actor: ctx.actor,
    role: ctx.tenant.role,
    // A token acts on behalf of the user who created it.
    userId: ctx.principal.kind === "user" ? ctx.principal.userId : ctx.principal.createdById,
    requestId: ctx.requestId,
  };
}
