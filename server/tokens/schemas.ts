// Input schemas for API tokens, shared by the tRPC router and the Settings form. Pure zod.
import { z } from "zod";
import { ROLES, TOKEN_SCOPES } from "@/server/auth/permissions";

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Name the token").max(80, "At most 80 characters"),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, "Choose at least one scope"),
  /** Days until expiry; null = never expires. */
  expiresInDays: z.number().int().min(1, "At least 1 day").max(365, "At most 365 days").nullable(),
});

export const tokenIdSchema = z.object({ tokenId: z.string().min(1).max(64) });
