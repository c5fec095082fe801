// Creates the e2e tenant and its owner with the documented production command (create-owner).
import { execFileSync } from "node:child_process";
import { OWNER } from "./fixtures";

export default function globalSetup() {
  execFileSync(
    "node_modules/.bin/tsx",
    ["scripts/create-owner.ts", "--email", OWNER.email, "--name", OWNER.name, "--tenant-name", OWNER.tenantName, "--tenant-slug", OWNER.tenantSlug],
    { env: { ...process.env, ARBITER_OWNER_PASSWORD: OWNER.password }, stdio: "inherit" },
  );
}
