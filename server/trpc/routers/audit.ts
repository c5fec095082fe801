import { permittedProcedure, router } from "../init";
import { listAuditEvents, verifyAuditChain } from "@/server/audit/service";
import { auditQuerySchema } from "@/server/audit/schemas";

export const auditRouter = router({
  list: permittedProcedure("audit:read")
    .input(auditQuerySchema)
    .query(({ ctx, input }) =>
      listAuditEvents(ctx.db, {
        tenantId: ctx.tenant.id,
        action: input.action,
        actorLabel: input.actor,
        from: input.from,
        to: input.to,
        cursor: input.cursor,
        limit: input.limit,
      }),
    ),
  verify: permittedProcedure("audit:verify").query(({ ctx }) => verifyAuditChain(ctx.db, ctx.tenant.id)),
});
