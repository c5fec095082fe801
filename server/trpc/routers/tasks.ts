import { TRPCError } from "@trpc/server";
import { permittedProcedure, router } from "../init";
import { attachTaskResearch, researchQueriesFor } from "@/server/research/task-research";
import { serviceCaller } from "../caller";
import { listTasksSchema, outcomeSchema, progressSchema, submitTaskSchema, taskIdSchema } from "@/server/routing/task-schemas";
import { cancelTask, reportProgress } from "@/server/routing/task-service";
import { reportOutcomeInBatch, submitInBatch } from "@/server/routing/tenant-batches";
import { getTask, listTasks } from "@/server/routing/task-queries";

export const tasksRouter = router({
  /** Submits a task: the constitutional check runs first (allow / deny / needs_waiver); an allowed task is routed at once. */
  /** Submissions arriving together share one transaction (group commit, see tenant-batches.ts). */
  submit: permittedProcedure("tasks:write", { rateClass: "submit", transaction: "on-demand" })
    .input(submitTaskSchema)
    .mutation(async ({ ctx, input }) => {
      const caller = serviceCaller(ctx);
      const { taskId, constitution, routing, payload, type } = await submitInBatch(ctx.rootDb, ctx.tenant.id, {
        caller: { userId: caller.userId, actor: caller.actor, requestId: caller.requestId },
        input,
      });
      if (input.research) {
        const queries = researchQueriesFor(input.research, { type, payload });
        ctx.afterCommit(() => attachTaskResearch(ctx.rootDb, ctx.tenant.id, taskId, queries));
      }
      return { taskId, constitution, routing, research: input.research ? ("pending" as const) : null };
    }),
  /** Research findings attached to a task, with provenance, best first per query. */
  findings: permittedProcedure("tasks:read")
    .input(taskIdSchema)
    .query(async ({ ctx, input }) => {
      const task = await ctx.db.task.findFirst({ where: { id: input.taskId, tenantId: ctx.tenant.id }, select: { researchStatus: true } });
      if (!task) throw new TRPCError({ code: "NOT_FOUND", message: "Task not found" });
      const findings = await ctx.db.taskFinding.findMany({ where: { taskId: input.taskId, tenantId: ctx.tenant.id }, orderBy: [{ query: "asc" }, { rank: "asc" }] });
      return { status: task.researchStatus, findings };
    }),
  get: permittedProcedure("tasks:read")
    .input(taskIdSchema)
    .query(({ ctx, input }) => getTask(ctx.db, ctx.tenant.id, input.taskId)),
  list: permittedProcedure("tasks:read")
    .input(listTasksSchema)
    .query(({ ctx, input }) => listTasks(ctx.db, { tenantId: ctx.tenant.id, ...input })),
  reportProgress: permittedProcedure("tasks:write", { rateClass: "submit" })
    .input(progressSchema)
    .mutation(({ ctx, input }) => reportProgress(ctx.db, ctx.tenant.id, input.taskId, input.progress, input.message)),
  /** Outcomes arriving together share one transaction (group commit, see tenant-batches.ts). */
  reportOutcome: permittedProcedure("tasks:write", { rateClass: "submit", transaction: "on-demand" })
    .input(outcomeSchema)
    .mutation(({ ctx, input }) => reportOutcomeInBatch(ctx.rootDb, ctx.tenant.id, input)),
  cancel: permittedProcedure("tasks:write", { rateClass: "submit" })
    .input(taskIdSchema)
    .mutation(({ ctx, input }) => cancelTask(ctx.db, ctx.tenant.id, input.taskId)),
});
