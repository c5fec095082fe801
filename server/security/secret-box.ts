// Encryption at rest for tenant secrets (provider API keys): AES-256-GCM with a key from
// ARBITER_SECRETS_KEY (32 bytes, base64), generated into the data folder with the embedded
// database and required otherwise.
import path from "node:path";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";

function key(): Buffer {
  const raw = process.env.ARBITER_SECRETS_KEY;
  if (!raw) throw new Error("ARBITER_SECRETS_KEY is not set");
  const k = Buffer.from(raw, "base64");
  if (k.length !== 32) throw new Error("ARBITER_SECRETS_KEY must be 32 bytes, base64-encoded");
  return k;
}

/** "v1.<iv>.<tag>.<ciphertext>", all base64url. */
export function seal(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function open(sealed: string): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !ct) throw new Error("Not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

export async function ensureSecretsKey(dataDir: string, generateIfMissing: boolean): Promise<void> {
  if (process.env.ARBITER_SECRETS_KEY) return;
  if (!generateIfMissing) throw new Error("ARBITER_SECRETS_KEY must be set when DATABASE_URL is set (production). See README, Configuration.");
  const file = path.join(/*turbopackIgnore: true*/ dataDir, "secrets-key");
  let value: string;
  try {
    value = (await readFile(file, "utf8")).trim();
  } catch {
    value = randomBytes(32).toString("base64");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, value, { mode: 0o600 });
  }
  process.env.ARBITER_SECRETS_KEY = value;
}
