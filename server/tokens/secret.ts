// API token format and hashing. A token is `arb_<id8>_<secret>`; only its SHA-256 is stored
// (a high-entropy random secret needs no slow hash), and the prefix lets users recognise it.
import { hash, randomBytes } from "node:crypto";

const TOKEN_PATTERN = /^arb_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function generateTokenSecret(): { token: string; prefix: string; tokenHash: string } {
  const prefix = randomBytes(6).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 8);
  const token = `arb_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix: `arb_${prefix}`, tokenHash: hashTokenSecret(token) };
}

export function hashTokenSecret(token: string): string {
  // One-shot hash: every API call hashes its bearer token, and a Hash object costs twice as much.
  return hash("sha256", token, "hex");
}

export function looksLikeApiToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}
