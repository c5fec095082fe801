// Routing metrics and decision-list inputs, shared by the router and the Routing page's URL. Pure zod.
import { z } from "zod";

export const RANGES = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 } as const;

export const metricsQuerySchema = z.object({
  range: z.enum(["24h", "7d", "30d"]).default("24h"),
  taskType: z.string().trim().max(64).optional(),
});

export const decisionsQuerySchema = metricsQuerySchema.extend({
  cursor: z.string().max(120).optional(),
  limit: z.number().int().min(1).max(200).default(25),
});

export const decisionIdSchema = z.object({ decisionId: z.string().min(1).max(64) });

export function rangeWindow(range: keyof typeof RANGES, now = new Date()) {
  const to = new Date(now);
  to.setUTCMinutes(0, 0, 0);
  to.setTime(to.getTime() + 3_600_000); // include the current hour
  return { from: new Date(to.getTime() - RANGES[range] * 3_600_000), to, bucket: range === "24h" ? ("hour" as const) : ("day" as const) };
}
