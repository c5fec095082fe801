"use client";
import { LabelledBarChart } from "./labelled-bar-chart";

export function EventsPerDayChart({ data }: { data: { day: string; events: number }[] }) {
  return (
    <LabelledBarChart
      testId="events-per-day-chart"
      height={260}
      data={data}
      xKey="day"
      xTick={(d) => d.slice(5)}
      xLabel="Day (UTC)"
      yLabel="Events"
      legend={false}
      bars={[{ key: "events", name: "Audit events", fill: "#2453d4" }]}
    />
  );
}
