// Signing keys for short-lived JWTs (ES256). The first key signs; the others only verify, so a
// rotated-out key keeps its tokens valid until they expire. Keys come from ARBITER_JWT_KEYS (a JWK
// set of private keys, JSON) or are generated into the data folder with the embedded database.
import path from "node:path";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

export const JWT_ALG = "ES256";

export interface SigningKeys {
  current: { kid: string; key: CryptoKey };
  /** Public keys by kid: the current one and those rotated out. */
  verification: Map<string, CryptoKey>;
  /** The public JWK set served at /api/auth/jwks. */
  jwks: { keys: JWK[] };
}

export async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(JWT_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: crypto.randomUUID(), alg: JWT_ALG, use: "sig" };
}

export async function loadSigningKeys(privateJwks: JWK[]): Promise<SigningKeys> {
  if (privateJwks.length === 0) throw new Error("No JWT signing key");
  const verification = new Map<string, CryptoKey>();
  const publicJwks: JWK[] = [];
  for (const jwk of privateJwks) {
    if (!jwk.kid || !jwk.d) throw new Error("Each JWT key needs a kid and its private part");
    const { d: _private, ...publicJwk } = jwk; // the public half
    publicJwks.push({ ...publicJwk, alg: JWT_ALG, use: "sig" });
    verification.set(jwk.kid, (await importJWK({ ...publicJwk, alg: JWT_ALG }, JWT_ALG)) as CryptoKey);
  }
  const first = privateJwks[0]!;
  return {
    current: { kid: first.kid!, key: (await importJWK({ ...first, alg: JWT_ALG }, JWT_ALG)) as CryptoKey },
    verification,
    jwks: { keys: publicJwks },
  };
}

/** Reads ARBITER_JWT_KEYS, or (embedded database only) the data folder's key file, creating it. */
export async function ensureJwtKeys(dataDir: string, generateIfMissing: boolean): Promise<void> {
  if (process.env.ARBITER_JWT_KEYS) return;
  if (!generateIfMissing) {
    throw new Error("ARBITER_JWT_KEYS must be set when DATABASE_URL is set (production). See README, Configuration.");
  }
  const file = path.join(/*turbopackIgnore: true*/ dataDir, "jwt-keys.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    text = JSON.stringify({ keys: [await newPrivateJwk()] });
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, text, { mode: 0o600 });
  }
  process.env.ARBITER_JWT_KEYS = text;
}

let cached: { source: string; keys: Promise<SigningKeys> } | undefined;

export function signingKeys(): Promise<SigningKeys> {
  const source = process.env.ARBITER_JWT_KEYS;
  if (!source) return Promise.reject(new Error("ARBITER_JWT_KEYS is not set"));
  if (cached?.source !== source) {
    const parsed = JSON.parse(source) as { keys: JWK[] };
    cached = { source, keys: loadSigningKeys(parsed.keys) };
  }
  return cached.keys;
}
