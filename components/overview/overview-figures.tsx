"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Figure } from "@/components/ui/figure";
import { EventsPerDayChart } from "@/components/charts/events-per-day";

export function OverviewFigures({ days }: { days: number }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.tenant.overview.queryOptions({ days }));
  if (overview.isPending) return <p className="muted">Loading figures…</p>;
  if (overview.isError) return <p className="error">Could not load the overview: {overview.error.message}</p>;
  const o = overview.data;
  return (
    <>
      <div className="cards">
        <Figure label="Members" value={o.members} testId="figure-members" />
        <Figure label="Active API tokens" value={o.activeTokens} testId="figure-tokens" />
        <Figure label="Audit events" value={o.auditTotal} testId="figure-audit" />
        <Figure label="Tasks waiting for a waiver" value={o.awaitingWaiver} testId="figure-awaiting-waiver" />
        <Figure label="Waivers pending approval" value={o.pendingWaivers} testId="figure-pending-waivers" />
        <Figure label={`Tasks denied (last ${days} days)`} value={o.deniedInPeriod} testId="figure-denied" />
      </div>
      <h2>Audit events per day (last {days} days, UTC)</h2>
      <div className="card">
        <EventsPerDayChart data={o.auditEventsPerDay} />
      </div>
    </>
  );
}
