// Input schemas for members and invitations, shared by the tRPC router and the forms. Pure zod.
import { z } from "zod";
import { ROLES } from "@/server/auth/permissions";
import { passwordSchema } from "@/server/auth/password-policy";

export const inviteMemberSchema = z.object({
  email: z.email("Enter a valid email address").max(254),
  role: z.enum(ROLES),
});

export const changeRoleSchema = z.object({ membershipId: z.string().min(1).max(64), role: z.enum(ROLES) });
export const membershipIdSchema = z.object({ membershipId: z.string().min(1).max(64) });
export const invitationIdSchema = z.object({ invitationId: z.string().min(1).max(64) });

export const acceptInvitationSchema = z.object({
  token: z.string().min(10).max(100),
  name: z.string().trim().min(1, "Enter your name").max(100),
  password: passwordSchema,
});
