// Creating tenants with their first owner: used by the embedded-database seed and by the
// `create-owner` command for production installs.
import { z } from "zod";
import type { Db } from "@/server/db/client";
import { SYSTEM_ACTOR, withAudit } from "@/server/audit/service";
import { Conflict } from "@/server/errors";
import { hashPassword, passwordSchema } from "@/server/auth/passwords";

export const slugSchema = z
  .string()
  .min(2)
  .max(48)
  .regex(/^[a-z0-9-]+$/, "Lowercase letters, digits and single dashes")
  .refine((s) => !s.startsWith("-") && !s.endsWith("-") && !s.includes("--"), "Lowercase letters, digits and single dashes");

export const tenantWithOwnerSchema = z.object({
  tenantName: z.string().trim().min(1).max(100),
  tenantSlug: slugSchema,
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(100),
  password: passwordSchema,
  platformAdmin: z.boolean().default(false),
});

export type TenantWithOwnerInput = z.input<typeof tenantWithOwnerSchema>;

export async function createTenantWithOwner(db: Db, raw: TenantWithOwnerInput, now = new Date()) {
  const input = tenantWithOwnerSchema.parse(raw);
  const passwordHash = await hashPassword(input.password);
  return withAudit(db, async (tx) => {
    if (await tx.tenant.findUnique({ where: { slug: input.tenantSlug } })) {
      throw new Conflict(`Tenant "${input.tenantSlug}" exists already`, { tenantSlug: ["Taken"] });
    }
    const tenant = await tx.tenant.create({ data: { name: input.tenantName, slug: input.tenantSlug } });
    const user =
      (await tx.user.findUnique({ where: { email: input.email } })) ??
      (await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, isPlatformAdmin: input.platformAdmin },
      }));
    await tx.membership.create({ data: { userId: user.id, tenantId: tenant.id, role: "owner" } });
    return {
      result: { tenant, user: { id: user.id, email: user.email } },
      audit: {
        tenantId: tenant.id,
        actor: SYSTEM_ACTOR,
        action: "tenant.created",
        target: { type: "tenant", id: tenant.id },
        summary: { after: { name: tenant.name, slug: tenant.slug, owner: user.email } },
        now,
      },
    };
  });
}
