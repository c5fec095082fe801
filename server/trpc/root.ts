import { router, createCallerFactory } from "./init";
import { tenantRouter } from "./routers/tenant";
import { tokensRouter } from "./routers/tokens";
import { membersRouter } from "./routers/members";
import { auditRouter } from "./routers/audit";
import { agentsRouter } from "./routers/agents";
import { tasksRouter } from "./routers/tasks";
import { routingRouter } from "./routers/routing";
import { securityRouter } from "./routers/security";
import { knowledgeRouter } from "./routers/knowledge";
import { researchRouter } from "./routers/research";
import { constitutionRouter } from "./routers/constitution";
import { waiversRouter } from "./routers/waivers";
import { budgetsRouter } from "./routers/budgets";

export const appRouter = router({
  tenant: tenantRouter,
  tokens: tokensRouter,
  members: membersRouter,
  audit: auditRouter,
  agents: agentsRouter,
  tasks: tasksRouter,
  routing: routingRouter,
  security: securityRouter,
  knowledge: knowledgeRouter,
  research: researchRouter,
  constitution: constitutionRouter,
  waivers: waiversRouter,
  budgets: budgetsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
