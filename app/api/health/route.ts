// Liveness: the process is up and serving. It does not touch the database (see /api/ready).
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
}
