import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import { listTasksSchema, outcomeSchema, progressSchema, submitTaskSchema, taskIdSchema } from "@/server/routing/task-schemas";
import { cancelTask, reportOutcome, reportProgress, submitTask } from "@/server/routing/task-service";
import { getTask, listTasks } from "@/server/routing/task-queries";

export const tasksRouter = router({
  /** Submits a task and routes it at once: the answer says whether it was assigned, waits or was rejected. */
  submit: permittedProcedure("tasks:write", { rateClass: "submit" })
    .input(submitTaskSchema)
    .mutation(({ ctx, input }) => submitTask(ctx.db, { userId: serviceCaller(ctx).userId }, ctx.tenant.id, input)),
  get: permittedProcedure("tasks:read")
    .input(taskIdSchema)
    .query(({ ctx, input }) => getTask(ctx.db, ctx.tenant.id, input.taskId)),
  list: permittedProcedure("tasks:read")
    .input(listTasksSchema)
    .query(({ ctx, input }) => listTasks(ctx.db, { tenantId: ctx.tenant.id, ...input })),
  reportProgress: permittedProcedure("tasks:write", { rateClass: "submit" })
    .input(progressSchema)
    .mutation(({ ctx, input }) => reportProgress(ctx.db, ctx.tenant.id, input.taskId, input.progress, input.message)),
  reportOutcome: permittedProcedure("tasks:write", { rateClass: "submit" })
    .input(outcomeSchema)
    .mutation(({ ctx, input }) => reportOutcome(ctx.db, ctx.tenant.id, input)),
  cancel: permittedProcedure("tasks:write", { rateClass: "submit" })
    .input(taskIdSchema)
    .mutation(({ ctx, input }) => cancelTask(ctx.db, ctx.tenant.id, input.taskId)),
});
