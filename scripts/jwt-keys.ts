// Prints a JWT key set for ARBITER_JWT_KEYS: `new` makes one, `rotate` puts a new signing key in
// front of the current set (read from ARBITER_JWT_KEYS) and keeps the previous keys for verifying
// tokens they signed (at most 3 kept; JWTs live 15 minutes, so drop old keys after that).
//
//   npm run jwt:keys -- new
//   ARBITER_JWT_KEYS="$(cat keys.json)" npm run jwt:keys -- rotate > keys.json.next
import { newPrivateJwk } from "@/server/auth/jwt-keys";
import type { JWK } from "jose";

const KEEP = 3;

async function main() {
  const command = process.argv[2];
  if (command === "new") {
    console.log(JSON.stringify({ keys: [await newPrivateJwk()] }));
  } else if (command === "rotate") {
    const current = process.env.ARBITER_JWT_KEYS;
    if (!current) throw new Error("Set ARBITER_JWT_KEYS to the key set to rotate");
    const { keys } = JSON.parse(current) as { keys: JWK[] };
    console.log(JSON.stringify({ keys: [await newPrivateJwk(), ...keys].slice(0, KEEP) }));
  } else {
    console.error("usage: jwt:keys new | rotate");
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
