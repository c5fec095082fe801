import { getDb } from "@/server/db/client";
import { checkReadiness } from "@/server/db/readiness";

export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness(getDb());
  return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
}
