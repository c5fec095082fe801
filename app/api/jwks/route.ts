// The public keys that verify Arbiter's JWTs (the current signing key and rotated-out ones).
import { signingKeys } from "@/server/auth/jwt-keys";

export const dynamic = "force-dynamic";

export async function GET() {
  const { jwks } = await signingKeys();
  return Response.json(jwks, { headers: { "cache-control": "public, max-age=300" } });
}
