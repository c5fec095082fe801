// Creates a tenant and its first owner in the database at DATABASE_URL (production installs).
//
//   DATABASE_URL=postgres://... ARBITER_OWNER_PASSWORD='...' npm run create-owner -- \
//     --email ops@example.com --name "Ops Lead" --tenant-name "Acme" --tenant-slug acme [--platform-admin]
import { parseArgs } from "node:util";
import { createDb } from "@/server/db/client";
import { migrateDatabase } from "@/server/db/migrate";
import { createTenantWithOwner } from "@/server/tenancy/tenants";
import { ZodError } from "zod";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    "tenant-name": { type: "string" },
    "tenant-slug": { type: "string" },
    "platform-admin": { type: "boolean", default: false },
  },
});

async function main() {
  const url = process.env.DATABASE_URL;
  const password = process.env.ARBITER_OWNER_PASSWORD;
  if (!url || !password) {
    console.error("Set DATABASE_URL and ARBITER_OWNER_PASSWORD (the password is never taken from the command line).");
    process.exit(2);
  }
  await migrateDatabase(url);
  const db = createDb(url, 2);
  try {
    const { tenant, user } = await createTenantWithOwner(db, {
      email: values.email ?? "",
      name: values.name ?? "",
      tenantName: values["tenant-name"] ?? "",
      tenantSlug: values["tenant-slug"] ?? "",
      password,
      platformAdmin: values["platform-admin"],
    });
    console.log(`Created tenant ${tenant.slug} with owner ${user.email}.`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ZodError) {
    for (const issue of error.issues) {
      const field = String(issue.path[0]);
      const source = field === "password" ? "ARBITER_OWNER_PASSWORD" : `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      console.error(`${source}: ${issue.message}`);
    }
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
