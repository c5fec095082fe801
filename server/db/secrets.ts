// Secrets the app needs at run time. In production they come from the environment; with the
// embedded database (a local, single-user install) they are generated once into the data folder.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";

export async function ensureAuthSecret(dataDir: string, generateIfMissing: boolean): Promise<void> {
  if (process.env.NEXTAUTH_SECRET) return;
  if (!generateIfMissing) {
    throw new Error("NEXTAUTH_SECRET must be set when DATABASE_URL is set (production). See README, Configuration.");
  }
  const file = path.join(/*turbopackIgnore: true*/ dataDir, "nextauth-secret");
  let secret: string;
  try {
    secret = (await readFile(file, "utf8")).trim();
  } catch {
    secret = randomBytes(32).toString("base64url");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
  }
  process.env.NEXTAUTH_SECRET = secret;
}

export function ensureAuthUrl(): void {
  if (!process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = `http://localhost:${process.env.PORT ?? 3000}`;
}
