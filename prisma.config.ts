// Prisma CLI configuration: the JavaScript schema engine through the pg driver adapter,
// so no engine binary has to be downloaded (see README "Schema changes").
import { defineConfig } from "prisma/config";
import { NameOidFixPool, WholeScriptPrismaPg } from "./scripts/prisma-cli-pool.mjs";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    return new WholeScriptPrismaPg(new NameOidFixPool({ connectionString, allowExitOnIdle: true }));
  },
});
