import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import { setBudgetSchema } from "@/server/constitution/schemas";
import { budgetOverview, setBudget } from "@/server/constitution/budget-service";

export const budgetsRouter = router({
  /** Budgets with today's / this month's usage, the month's burn-down and threshold events. */
  overview: permittedProcedure("constitution:read").query(({ ctx }) => budgetOverview(ctx.db, ctx.tenant.id)),
  /** Sets a budget (taskType "*" = tenant-wide); both limits null removes it. */
  set: permittedProcedure("constitution:write")
    .input(setBudgetSchema)
    .mutation(({ ctx, input }) => setBudget(ctx.db, serviceCaller(ctx), ctx.tenant.id, input)),
});
