import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import {
  agentIdSchema,
  capabilityQuerySchema,
  listAgentsSchema,
  registerAgentSchema,
  setStatusSchema,
  updateAgentSchema,
} from "@/server/registry/schemas";
import { agentView, capabilityQuery, heartbeat, registerAgent, setAgentStatus, unregisterAgent, updateAgent } from "@/server/registry/service";
import { getAgentDetail, listAgents } from "@/server/registry/queries";
import { placeWaitingTasks } from "@/server/routing/task-service";

export const agentsRouter = router({
  list: permittedProcedure("agents:read")
    .input(listAgentsSchema)
    .query(({ ctx, input }) => listAgents(ctx.db, { tenantId: ctx.tenant.id, ...input })),
  get: permittedProcedure("agents:read")
    .input(agentIdSchema)
    .query(({ ctx, input }) => getAgentDetail(ctx.db, ctx.tenant.id, input.agentId)),
  register: permittedProcedure("agents:write")
    .input(registerAgentSchema)
    .mutation(async ({ ctx, input }) => {
      const agent = agentView(await registerAgent(ctx.db, serviceCaller(ctx), ctx.tenant.id, input));
      await placeWaitingTasks(ctx.db, ctx.tenant.id, null, agent.maxConcurrentTasks);
      return agent;
    }),
  update: permittedProcedure("agents:write")
    .input(updateAgentSchema)
    .mutation(async ({ ctx, input }) => agentView(await updateAgent(ctx.db, serviceCaller(ctx), ctx.tenant.id, input))),
  setStatus: permittedProcedure("agents:write")
    .input(setStatusSchema)
    .mutation(async ({ ctx, input }) => {
      const agent = agentView(await setAgentStatus(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.agentId, input.status));
      if (agent.status === "available") await placeWaitingTasks(ctx.db, ctx.tenant.id, null, agent.maxConcurrentTasks - agent.activeTasks);
      return agent;
    }),
  /** Called by the agent itself (an API token with agents:write, or tasks:write for worker tokens). */
  heartbeat: permittedProcedure("tasks:write", { rateClass: "submit" })
    .input(agentIdSchema)
    .mutation(({ ctx, input }) => heartbeat(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.agentId)),
  unregister: permittedProcedure("agents:write")
    .input(agentIdSchema)
    .mutation(({ ctx, input }) => unregisterAgent(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.agentId)),
  /** The capability query the router uses, for operators and programs. */
  match: permittedProcedure("agents:read", { transaction: "on-demand" })
    .input(capabilityQuerySchema)
    .query(({ ctx, input }) => capabilityQuery(ctx.tenantScope, ctx.tenant.id, input)),
});
