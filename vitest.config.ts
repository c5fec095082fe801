import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["server/**/*.test.ts", "tests/**/*.test.ts", "components/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one throwaway database; files run one at a time against it.
    fileParallelism: false,
    // A fixed key for the secrets tests seal and open; production keys come from the environment.
    env: { NODE_ENV: "test", ARBITER_SECRETS_KEY: Buffer.alloc(32, 7).toString("base64") },
  },
});
