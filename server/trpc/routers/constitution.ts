import { z } from "zod";
import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import { dryRunSchema, impactPreviewSchema, listDecisionsSchema, specIdSchema, yamlDocumentSchema } from "@/server/constitution/schemas";
import { activatePolicyVersion, diffPolicyVersions, getPolicyVersion, listPolicyVersions, savePolicyVersion } from "@/server/constitution/policy-service";
import { diffSpecVersions, getSpec, listSpecs, saveSpecVersion } from "@/server/constitution/spec-service";
import { validatePolicy } from "@/server/constitution/policy";
import { validateSpec } from "@/server/constitution/spec-validator";
import { decisionMetrics, getDecision, listDecisions } from "@/server/constitution/decision-queries";
import { dryRun, impactPreview } from "@/server/constitution/what-if";

const idSchema = z.object({ id: z.string().min(1).max(64) });

export const constitutionRouter = router({
  /** Validates policy YAML without saving it: errors and warnings with path and line. */
  validatePolicy: permittedProcedure("constitution:read")
    .input(yamlDocumentSchema)
    .query(({ input }) => {
      const r = validatePolicy(input.content);
      return { valid: r.valid, errors: r.errors, warnings: r.warnings };
    }),
  policyVersions: permittedProcedure("constitution:read").query(({ ctx }) => listPolicyVersions(ctx.db, ctx.tenant.id)),
  policyVersion: permittedProcedure("constitution:read")
    .input(idSchema)
    .query(({ ctx, input }) => getPolicyVersion(ctx.db, ctx.tenant.id, input.id)),
  /** Line diff between two policy versions ("default" = the built-in policy). */
  policyDiff: permittedProcedure("constitution:read")
    .input(z.object({ from: z.string().min(1).max(64), to: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => diffPolicyVersions(ctx.db, ctx.tenant.id, input.from, input.to)),
  /** Saves a new policy version (not active until activated). */
  savePolicy: permittedProcedure("constitution:write")
    .input(yamlDocumentSchema)
    .mutation(({ ctx, input }) => savePolicyVersion(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.content)),
  /** Replays the last N days' decisions under a policy version: how many verdicts would flip. */
  impactPreview: permittedProcedure("constitution:read")
    .input(impactPreviewSchema)
    .query(({ ctx, input }) => impactPreview(ctx.db, ctx.tenant.id, input.policyVersionId, input.days)),
  activatePolicy: permittedProcedure("constitution:write")
    .input(idSchema)
    .mutation(({ ctx, input }) => activatePolicyVersion(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.id)),

  validateSpec: permittedProcedure("constitution:read")
    .input(yamlDocumentSchema)
    .query(({ input }) => {
      const r = validateSpec(input.content);
      return { parsed: r.parsed, format: r.format, valid: r.valid, errors: r.errors, warnings: r.warnings, errorsAgainstOther: r.parsed ? r.errorsAgainstOther : null };
    }),
  specs: permittedProcedure("constitution:read").query(({ ctx }) => listSpecs(ctx.db, ctx.tenant.id)),
  spec: permittedProcedure("constitution:read")
    .input(z.object({ specId: specIdSchema }))
    .query(({ ctx, input }) => getSpec(ctx.db, ctx.tenant.id, input.specId)),
  specDiff: permittedProcedure("constitution:read")
    .input(z.object({ specId: specIdSchema, from: z.number().int().min(1), to: z.number().int().min(1) }))
    .query(({ ctx, input }) => diffSpecVersions(ctx.db, ctx.tenant.id, input.specId, input.from, input.to)),
  saveSpec: permittedProcedure("constitution:write")
    .input(yamlDocumentSchema)
    .mutation(({ ctx, input }) => saveSpecVersion(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.content)),

  /** Evaluates a spec + change against the tenant's policy without creating a task or recording anything. */
  dryRun: permittedProcedure("constitution:evaluate")
    .input(dryRunSchema)
    .query(({ ctx, input }) => dryRun(ctx.db, ctx.tenant.id, input)),
  decisions: permittedProcedure("constitution:read")
    .input(listDecisionsSchema)
    .query(({ ctx, input }) => listDecisions(ctx.db, ctx.tenant.id, input)),
  decision: permittedProcedure("constitution:read")
    .input(idSchema)
    .query(({ ctx, input }) => getDecision(ctx.db, ctx.tenant.id, input.id)),
  decisionMetrics: permittedProcedure("constitution:read")
    .input(z.object({ days: z.number().int().min(1).max(90).default(7) }))
    .query(({ ctx, input }) => decisionMetrics(ctx.db, ctx.tenant.id, input.days)),
});
