// Task inputs, shared by the tRPC router, the example client and the forms. Pure zod.
import { z } from "zod";
import { requirementSchema } from "@/server/registry/schemas";
import { changeProposalSchema, specIdSchema } from "@/server/constitution/schemas";

export const TASK_STATUSES = ["submitted", "awaiting_waiver", "routed", "assigned", "running", "succeeded", "failed", "cancelled", "rejected", "denied"] as const;

export const submitTaskSchema = requirementSchema.extend({
  priority: z.number().int().min(-100).max(100).default(0),
  payload: z.record(z.string(), z.unknown()).default({}),
  deadline: z.coerce.date().optional(),
  /** The CAWS working spec the task works under, and what it changes (checked before assignment). */
  specId: specIdSchema.optional(),
  change: changeProposalSchema.optional(),
  /** Research to attach to the task: explicit queries, or keywords from payload.description. */
  research: z
    .object({
      queries: z.array(z.string().trim().min(1).max(500)).max(5).optional(),
      deriveFromDescription: z.boolean().optional(),
    })
    .refine((r) => (r.queries?.length ?? 0) > 0 || r.deriveFromDescription, "Give queries or ask to derive them from the description")
    .optional(),
});

export const taskIdSchema = z.object({ taskId: z.string().min(1).max(64) });

export const progressSchema = taskIdSchema.extend({
  progress: z.number().min(0).max(1),
  message: z.string().max(500).optional(),
});

export const outcomeSchema = taskIdSchema.extend({
  success: z.boolean(),
  quality: z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1").optional(),
  latencyMs: z.number().int().min(0).max(86_400_000),
  cost: z.number().min(0).max(1e9).optional(),
  tokens: z.number().int().min(0).max(2_147_483_647, "At most 2147483647").optional(),
  error: z.string().max(2000).optional(),
});

export const listTasksSchema = z.object({
  status: z.enum(TASK_STATUSES).optional(),
  type: z.string().trim().max(64).optional(),
  agentId: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export type SubmitTaskInput = z.output<typeof submitTaskSchema>;
export type OutcomeInput = z.output<typeof outcomeSchema>;
