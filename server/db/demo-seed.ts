// The embedded database's first-run content: one demo tenant with one owner, so a newcomer can
// sign in at once. Never run against a DATABASE_URL database.
import type { Db } from "./client";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { saveSpecVersion } from "@/server/constitution/spec-service";

const DEMO_SPEC = `id: DEMO-0001
title: Retry failed payments in the billing service
risk_tier: 2
mode: feature
lifecycle_state: active
blast_radius: { modules: [billing] }
operational_rollback_slo: 10m
scope:
  in: [src/billing/, tests/billing/]
  out: [src/billing/legacy/]
invariants: [a payment is charged at most once]
acceptance:
  - { id: A1, given: a charge failed with a retryable error, when: the retry runs, then: the payment is charged once }
non_functional: { performance: [retries add at most 50 ms to P95] }
contracts: [{ name: billing-api, type: api, path: api/billing.yaml }]
`;

export const DEMO_CREDENTIALS = {
  email: "demo@arbiter.local",
  password: "arbiter-demo-2026",
  tenantSlug: "demo",
} as const;

export async function seedDemoTenant(db: Db): Promise<boolean> {
  if ((await db.tenant.count()) > 0) return false;
  const { tenant, user } = await createTenantWithOwner(db, {
    tenantName: "Demo",
    tenantSlug: DEMO_CREDENTIALS.tenantSlug,
    email: DEMO_CREDENTIALS.email,
    name: "Demo Operator",
    password: DEMO_CREDENTIALS.password,
  });
  // One working spec, so the Constitution pages and the dry run have something to show.
  await saveSpecVersion(db, { actor: { type: "user", id: user.id, label: DEMO_CREDENTIALS.email }, userId: user.id, requestId: null }, tenant.id, DEMO_SPEC);
  return true;
}
