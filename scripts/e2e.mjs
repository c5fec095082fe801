#!/usr/bin/env node
// Runs the Playwright suite against a throwaway database on the Postgres server at
// TEST_DATABASE_URL (default: the local server), dropped afterwards. Extra arguments go to Playwright.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { exportJWK, generateKeyPair } from "jose";

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `arbiter_e2e_${Date.now()}_${randomBytes(3).toString("hex")}`;

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`CREATE DATABASE "${name}"`);
const { privateKey } = await generateKeyPair("ES256", { extractable: true });
const jwtKeys = JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: "e2e-key", alg: "ES256", use: "sig" }] });
const url = new URL(adminUrl);
url.pathname = `/${name}`;
console.log(`[e2e] database ${name}`);

const code = await new Promise((resolve) => {
  const child = spawn("node_modules/.bin/playwright", ["test", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString("base64url"),
      ARBITER_JWT_KEYS: process.env.ARBITER_JWT_KEYS ?? jwtKeys,
      ARBITER_SECRETS_KEY: process.env.ARBITER_SECRETS_KEY ?? randomBytes(32).toString("base64"),
    },
  });
  child.on("exit", (c) => resolve(c ?? 1));
});

// The audit log must still verify after everything the suite did.
const verify = await new Promise((resolve) => {
  const child = spawn("node_modules/.bin/tsx", ["scripts/verify-audit.ts"], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url.toString() },
  });
  child.on("exit", (c) => resolve(c ?? 1));
});

await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
process.exit(code !== 0 ? code : verify);
