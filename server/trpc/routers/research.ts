import { z } from "zod";
import { permittedProcedure, router } from "../init";
import { cacheStats, providerStatus, research } from "@/server/research/service";
import { researchSettingsView, saveProviderCredential, saveResearchSettings } from "@/server/research/tenant-config";
import { providerCredentialSchema, researchSettingsSchema } from "@/server/research/schemas";
import { serviceCaller } from "../caller";

export const researchRouter = router({
  /** Runs a research query: cache, else the provider chain; results carry their provider and rank. */
  query: permittedProcedure("knowledge:read", { rateClass: "research" })
    .input(z.object({ query: z.string().trim().min(1, "Type a question or keywords").max(500), limit: z.number().int().min(1).max(20).default(10) }))
    .query(({ ctx, input }) => research(ctx.db, ctx.tenant.id, input.query, input.limit)),
  cache: permittedProcedure("knowledge:read").query(({ ctx }) => cacheStats(ctx.db, ctx.tenant.id)),
  /** Provider health panel: breaker state, error rate, latency P50/P95, quota used, last error. */
  providers: permittedProcedure("knowledge:read").query(({ ctx }) => providerStatus(ctx.db, ctx.tenant.id)),
  /** The tenant's research setup; provider keys appear only as "set", never as values. */
  settings: permittedProcedure("knowledge:read").query(({ ctx }) => researchSettingsView(ctx.db, ctx.tenant.id)),
  saveSettings: permittedProcedure("knowledge:write")
    .input(researchSettingsSchema)
    .mutation(({ ctx, input }) => saveResearchSettings(ctx.db, serviceCaller(ctx), ctx.tenant.id, input)),
  saveCredential: permittedProcedure("knowledge:write")
    .input(providerCredentialSchema)
    .mutation(({ ctx, input }) => saveProviderCredential(ctx.db, serviceCaller(ctx), ctx.tenant.id, input)),
});
