// The password policy, as a zod schema the sign-up forms share with the server. Pure zod.
import { z } from "zod";

export const passwordSchema = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(256, "Use at most 256 characters")
  .refine((p) => new Set(p).size >= 5, "Use at least 5 different characters");
