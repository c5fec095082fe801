// Routing policy input, shared by the router and the Routing settings form. Pure zod.
import { z } from "zod";
import { STRATEGIES } from "./bandit";

export const routingPolicyFieldsSchema = z.object({
  strategy: z.enum(STRATEGIES),
  explorationConstant: z.number().min(0, "At least 0").max(10, "At most 10"),
  epsilon: z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1"),
  epsilonDecay: z.number().min(0, "At least 0").max(1, "At most 1"),
  qualityWeighted: z.boolean(),
  loadPenalty: z.number().min(0, "At least 0").max(5, "At most 5"),
  decayHalfLifeHours: z.number().min(0, "At least 0 (0 = no decay)").max(24 * 365, "At most a year"),
  noCandidateAction: z.enum(["wait", "reject"]),
  heartbeatTimeoutSeconds: z.number().int().min(10, "At least 10 s").max(86_400, "At most a day"),
});

export const setRoutingPolicySchema = routingPolicyFieldsSchema.partial().extend({
  /** "*" sets the tenant's default; a task type overrides it for that type. */
  taskType: z.string().trim().min(1).max(64).regex(/^(\*|[a-z0-9][a-z0-9._+#-]*)$/i, "A task type, or * for the default"),
});

export type RoutingPolicyFields = z.output<typeof routingPolicyFieldsSchema>;
