// Inputs of the constitutional runtime, shared by the tRPC routers, the forms and the example
// clients. Pure zod.
import { z } from "zod";
import { GATES } from "./policy-schema";

export const specIdSchema = z.string().trim().min(1, "Name the spec").max(120);

export const changeEvidenceSchema = z.object({
  coverage: z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1").optional(),
  mutationScore: z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1").optional(),
  testsPassed: z.boolean().optional(),
  lintPassed: z.boolean().optional(),
  securityScan: z.enum(["pass", "fail"]).optional(),
  contractTestsPassed: z.boolean().optional(),
  manualReview: z.boolean().optional(),
});

export const changeProposalSchema = z.object({
  files: z.array(z.string().trim().min(1).max(1000)).max(10_000, "At most 10,000 files"),
  linesAdded: z.number().int().min(0).max(10_000_000),
  linesRemoved: z.number().int().min(0).max(10_000_000),
  evidence: changeEvidenceSchema.default({}),
});

export const yamlDocumentSchema = z.object({ content: z.string().min(1, "Paste the YAML").max(200_000, "At most 200,000 characters") });

export const dryRunSchema = z.object({
  taskType: z.string().trim().min(1, "Name the task type").max(64),
  specId: specIdSchema.optional(),
  change: changeProposalSchema.optional(),
  /** Evaluate against this policy version instead of the active one. */
  policyVersionId: z.string().max(64).optional(),
});

export const WAIVER_REASONS = [
  "emergency_hotfix",
  "legacy_integration",
  "experimental_feature",
  "third_party_constraint",
  "performance_critical",
  "security_patch",
  "infrastructure_limitation",
  "architectural_refactor",
  "other",
] as const;

export const WAIVABLE_GATES = GATES.filter((g) => g !== "god_object" && g !== "todo_detection");

export const requestWaiverSchema = z.object({
  title: z.string().trim().min(3, "At least 3 characters").max(200),
  gates: z.array(z.enum(WAIVABLE_GATES)).min(1, "Choose at least one gate").max(WAIVABLE_GATES.length),
  deltaFiles: z.number().int().min(1, "At least 1").max(100_000).optional(),
  deltaLoc: z.number().int().min(1, "At least 1").max(10_000_000).optional(),
  reasonCode: z.enum(WAIVER_REASONS),
  description: z.string().trim().min(20, "Explain in at least 20 characters").max(1000),
  mitigation: z.string().trim().min(20, "Describe the mitigation in at least 20 characters").max(1000),
  /** Requested expiry; capped by the policy's maximum waiver duration. */
  expiresAt: z.coerce.date().optional(),
  /** Omitted: the whole project. */
  specId: specIdSchema.optional(),
  taskType: z.string().trim().min(1).max(64).optional(),
  /** The task whose decision led to the request. */
  taskId: z.string().max(64).optional(),
});

export const decideWaiverSchema = z.object({
  waiverId: z.string().min(1).max(64),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().min(3, "Say why in a few words").max(1000),
});

export const revokeWaiverSchema = z.object({
  waiverId: z.string().min(1).max(64),
  reason: z.string().trim().min(3, "Say why in a few words").max(1000),
});

export const WAIVER_VIEWS = ["pending", "active", "expired", "revoked", "rejected", "lapsed", "all"] as const;
export const listWaiversSchema = z.object({
  view: z.enum(WAIVER_VIEWS).default("pending"),
  gate: z.enum(WAIVABLE_GATES).optional(),
  specId: z.string().max(120).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const setBudgetSchema = z.object({
  /** "*" = the whole tenant */
  taskType: z.string().trim().min(1).max(64).default("*"),
  tasksPerDay: z.number().int().min(1, "At least 1").max(100_000_000).nullable(),
  costUnitsPerMonth: z.number().min(0.01, "More than 0").max(1e12).nullable(),
});

export const listDecisionsSchema = z.object({
  verdict: z.enum(["allow", "deny", "needs_waiver"]).optional(),
  taskId: z.string().max(64).optional(),
  days: z.number().int().min(1).max(90).default(7),
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const impactPreviewSchema = z.object({
  policyVersionId: z.string().min(1).max(64),
  days: z.number().int().min(1).max(90).default(7),
});

export type ChangeProposalInput = z.output<typeof changeProposalSchema>;
export type DryRunInput = z.output<typeof dryRunSchema>;
export type RequestWaiverInput = z.output<typeof requestWaiverSchema>;
export type DecideWaiverInput = z.output<typeof decideWaiverSchema>;
export type ListWaiversInput = z.output<typeof listWaiversSchema>;
export type SetBudgetInput = z.output<typeof setBudgetSchema>;
