import { router, createCallerFactory } from "./init";
import { tenantRouter } from "./routers/tenant";
import { tokensRouter } from "./routers/tokens";
import { membersRouter } from "./routers/members";
import { auditRouter } from "./routers/audit";

export const appRouter = router({
  tenant: tenantRouter,
  tokens: tokensRouter,
  members: membersRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
