// Figures for the Overview page, aggregated in SQL.
import type { Db } from "@/server/db/client";
import { pendingWaiverCount } from "@/server/constitution/waiver-service";

export async function tenantOverview(db: Db, tenantId: string, days: number, now = new Date()) {
  const since = new Date(now.getTime() - (days - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const [members, activeTokens, auditTotal, perDay, awaitingWaiver, waivers, denied] = await Promise.all([
    db.membership.count({ where: { tenantId } }),
    db.apiToken.count({
      where: { tenantId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    }),
    db.auditEvent.count({ where: { chainId: tenantId } }),
    db.$queryRaw<{ day: string; events: bigint }[]>`
      SELECT to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS events
      FROM audit_events
      WHERE "chainId" = ${tenantId} AND "createdAt" >= ${since}
      GROUP BY 1 ORDER BY 1`,
    db.task.count({ where: { tenantId, status: "awaiting_waiver" } }),
    pendingWaiverCount(db, tenantId, now),
    db.constitutionalDecision.count({ where: { tenantId, verdict: "deny", createdAt: { gte: since } } }),
  ]);
  const counts = new Map(perDay.map((r) => [r.day, Number(r.events)]));
  const series = Array.from({ length: days }, (_, i) => {
    const day = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    return { day, events: counts.get(day) ?? 0 };
  });
  return { members, activeTokens, auditTotal, auditEventsPerDay: series, awaitingWaiver, pendingWaivers: waivers.pending, deniedInPeriod: denied };
}
