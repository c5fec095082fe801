import { z } from "zod";
import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import { decideWaiverSchema, listWaiversSchema, requestWaiverSchema, revokeWaiverSchema } from "@/server/constitution/schemas";
import { decideWaiver, getWaiver, listWaivers, pendingWaiverCount, requestWaiver, revokeWaiver } from "@/server/constitution/waiver-service";

export const waiversRouter = router({
  /** Requests a waiver (tenant members and programmatic clients); it is proposed until approved. */
  request: permittedProcedure("waivers:request", { rateClass: "submit" })
    .input(requestWaiverSchema)
    .mutation(({ ctx, input }) => requestWaiver(ctx.db, serviceCaller(ctx), ctx.tenant.id, input)),
  /** Approves or rejects with a comment; activation re-evaluates the tasks waiting for a waiver. */
  decide: permittedProcedure("waivers:approve")
    .input(decideWaiverSchema)
    .mutation(({ ctx, input }) => decideWaiver(ctx.db, { ...serviceCaller(ctx), userId: ctx.principal.kind === "user" ? ctx.principal.userId : null }, ctx.tenant.id, input)),
  revoke: permittedProcedure("waivers:approve")
    .input(revokeWaiverSchema)
    .mutation(({ ctx, input }) => revokeWaiver(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.waiverId, input.reason)),
  list: permittedProcedure("waivers:read")
    .input(listWaiversSchema)
    .query(({ ctx, input }) => listWaivers(ctx.db, ctx.tenant.id, input)),
  get: permittedProcedure("waivers:read")
    .input(z.object({ waiverId: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => getWaiver(ctx.db, ctx.tenant.id, input.waiverId)),
  /** Pending requests (the navigation's badge) and active waivers close to expiry. */
  counts: permittedProcedure("waivers:read").query(({ ctx }) => pendingWaiverCount(ctx.db, ctx.tenant.id)),
});
