// The embedded database's first-run content: one demo tenant with one owner, so a newcomer can
// sign in at once. Never run against a DATABASE_URL database.
import type { Db } from "./client";
import { createTenantWithOwner } from "@/server/tenancy/tenants";

export const DEMO_CREDENTIALS = {
  email: "demo@arbiter.local",
  password: "arbiter-demo-2026",
  tenantSlug: "demo",
} as const;

export async function seedDemoTenant(db: Db): Promise<boolean> {
  if ((await db.tenant.count()) > 0) return false;
  await createTenantWithOwner(db, {
    tenantName: "Demo",
    tenantSlug: DEMO_CREDENTIALS.tenantSlug,
    email: DEMO_CREDENTIALS.email,
    name: "Demo Operator",
    password: DEMO_CREDENTIALS.password,
  });
  return true;
}
