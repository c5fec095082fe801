// Creates the e2e tenant and its owner with the documented production command (create-owner).
import { execFileSync } from "node:child_process";
import { OWNER, SECOND_TENANT } from "./fixtures";

export default function globalSetup() {
  // The owner's first tenant, then a second one (the same person owns both: the tenant switcher).
  const tenants: [string, string][] = [
    [OWNER.tenantName, OWNER.tenantSlug],
    [SECOND_TENANT.name, SECOND_TENANT.slug],
  ];
  for (const [name, slug] of tenants) {
    execFileSync("node_modules/.bin/tsx", ["scripts/create-owner.ts", "--email", OWNER.email, "--name", OWNER.name, "--tenant-name", name, "--tenant-slug", slug], {
      env: { ...process.env, ARBITER_OWNER_PASSWORD: OWNER.password },
      stdio: "inherit",
    });
  }
}
