import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import { limitSettingSchema } from "@/server/security/rate-limit-policy";
import { rateLimitOverview, setRateLimit } from "@/server/security/rate-limiter";

export const securityRouter = router({
  /** The tenant's limits per operation class and the refusals of the last 7 days. */
  rateLimits: permittedProcedure("limits:read").query(({ ctx }) => rateLimitOverview(ctx.db, ctx.rateLimiter, ctx.tenant.id)),
  setRateLimit: permittedProcedure("limits:write")
    .input(limitSettingSchema)
    .mutation(({ ctx, input }) => setRateLimit(ctx.db, ctx.rateLimiter, serviceCaller(ctx), ctx.tenant.id, input)),
});
