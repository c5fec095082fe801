// Input schemas for the agent registry, shared by the tRPC router and the dashboard forms. Pure zod.
import { z } from "zod";

export const AGENT_STATUSES = ["available", "busy", "draining", "offline", "maintenance"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

const capabilityName = z
  .string()
  .trim()
  .min(1, "Name the capability")
  .max(64, "At most 64 characters")
  .regex(/^[a-z0-9][a-z0-9._+#-]*$/i, "Letters, digits and . _ + # - only");

export const capabilitySchema = z.object({
  name: capabilityName,
  proficiency: z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1").nullable().optional(),
});

const uniqueNames = (list: { name: string }[]) => new Set(list.map((c) => c.name.toLowerCase())).size === list.length;

export const capabilitiesSchema = z.object({
  taskTypes: z.array(capabilitySchema).min(1, "Declare at least one task type").max(50).refine(uniqueNames, "Listed twice"),
  languages: z.array(capabilitySchema).max(50).refine(uniqueNames, "Listed twice").default([]),
  specializations: z.array(capabilitySchema).max(50).refine(uniqueNames, "Listed twice").default([]),
});

export const agentFieldsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the agent")
    .max(100, "At most 100 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._ -]*$/, "Letters, digits, spaces and . _ - only"),
  modelFamily: z.string().trim().min(1, "Give the model family, e.g. claude-sonnet-4").max(100),
  capabilities: capabilitiesSchema,
  maxConcurrentTasks: z.number().int("A whole number").min(1, "At least 1").max(10_000, "At most 10,000"),
  tags: z.array(z.string().trim().min(1).max(40)).max(20, "At most 20 tags").default([]),
});

export const registerAgentSchema = agentFieldsSchema.extend({
  status: z.enum(["available", "maintenance"]).default("available"),
});

export const updateAgentSchema = agentFieldsSchema.partial().extend({ agentId: z.string().min(1).max(64) });

export const agentIdSchema = z.object({ agentId: z.string().min(1).max(64) });

export const setStatusSchema = z.object({ agentId: z.string().min(1).max(64), status: z.enum(AGENT_STATUSES) });

export const listAgentsSchema = z.object({
  status: z.enum(AGENT_STATUSES).optional(),
  taskType: z.string().trim().max(64).optional(),
  tag: z.string().trim().max(40).optional(),
  search: z.string().trim().max(100).optional(),
  includeUnregistered: z.boolean().default(false),
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const requirementSchema = z.object({
  taskType: capabilityName,
  languages: z.array(capabilityName).max(20).default([]),
  specializations: z.array(capabilityName).max(20).default([]),
  minProficiency: z.number().min(0).max(1).default(0),
});

export const capabilityQuerySchema = requirementSchema.extend({
  /** Only agents whose utilization (active / max) is at most this; 1 still excludes full agents. */
  maxUtilization: z.number().min(0).max(1).default(1),
  /** Only agents whose success rate on this task type is at least this (agents without outcomes pass). */
  minSuccessRate: z.number().min(0).max(1).default(0),
  /** How many of the best matches to return (all are counted in `total`). */
  limit: z.number().int().min(1).max(1000).default(50),
  /** How many exclusions to list with their reasons (all are counted in `excludedCount`). */
  excludedLimit: z.number().int().min(0).max(1000).default(50),
});

export type RegisterAgentInput = z.output<typeof registerAgentSchema>;
export type UpdateAgentInput = z.output<typeof updateAgentSchema>;
export type CapabilityQuery = z.output<typeof capabilityQuerySchema>;
