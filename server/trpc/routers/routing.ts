import { TRPCError } from "@trpc/server";
import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import { decisionIdSchema, decisionsQuerySchema, metricsQuerySchema, rangeWindow } from "@/server/routing/metrics-schemas";
import { getDecision, listDecisions, routingMetrics } from "@/server/routing/metrics";
import { setRoutingPolicySchema } from "@/server/routing/policy-schemas";
import { effectivePolicy, listPolicies, setRoutingPolicy } from "@/server/routing/policy-service";
import { z } from "zod";

export const routingRouter = router({
  metrics: permittedProcedure("routing:read")
    .input(metricsQuerySchema)
    .query(({ ctx, input }) => routingMetrics(ctx.db, { tenantId: ctx.tenant.id, taskType: input.taskType, ...rangeWindow(input.range) })),
  decisions: permittedProcedure("routing:read")
    .input(decisionsQuerySchema)
    .query(({ ctx, input }) => {
      const { from, to } = rangeWindow(input.range);
      return listDecisions(ctx.db, { tenantId: ctx.tenant.id, from, to, taskType: input.taskType, cursor: input.cursor, limit: input.limit });
    }),
  decision: permittedProcedure("routing:read")
    .input(decisionIdSchema)
    .query(async ({ ctx, input }) => {
      const decision = await getDecision(ctx.db, ctx.tenant.id, input.decisionId);
      if (!decision) throw new TRPCError({ code: "NOT_FOUND", message: "Decision not found" });
      return decision;
    }),
  taskTypes: permittedProcedure("routing:read").query(async ({ ctx }) => {
    const rows = await ctx.db.agentCapability.findMany({
      where: { tenantId: ctx.tenant.id, kind: "task_type" },
      distinct: ["name"],
      select: { name: true },
      orderBy: { name: "asc" },
    });
    return rows.map((r) => r.name);
  }),
  policies: permittedProcedure("routing:read").query(({ ctx }) => listPolicies(ctx.db, ctx.tenant.id)),
  effectivePolicy: permittedProcedure("routing:read")
    .input(z.object({ taskType: z.string().trim().min(1).max(64) }))
    .query(({ ctx, input }) => effectivePolicy(ctx.db, ctx.tenant.id, input.taskType)),
  setPolicy: permittedProcedure("routing:write")
    .input(setRoutingPolicySchema)
    .mutation(({ ctx, input }) => setRoutingPolicy(ctx.db, serviceCaller(ctx), ctx.tenant.id, input)),
});
