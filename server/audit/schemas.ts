// Audit log query schema, shared by the router and the Audit page's URL filters. Pure zod.
import { z } from "zod";

export const auditQuerySchema = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(254).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  cursor: z.string().regex(/^\d+$/, "Invalid cursor").optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
