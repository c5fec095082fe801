"use client";
// Constitutional verdicts per day (UTC), stacked.
import { LabelledBarChart } from "./labelled-bar-chart";

export function VerdictsChart({ rows }: { rows: { day: string; allow: number; deny: number; needs_waiver: number }[] }) {
  return (
    <LabelledBarChart
      testId="verdicts-chart"
      data={rows.map((r) => ({ ...r, t: r.day.slice(5) }))}
      xKey="t"
      xLabel="Day (UTC)"
      yLabel="Decisions"
      stacked
      bars={[
        { key: "allow", name: "allow", fill: "#067647" },
        { key: "needs_waiver", name: "needs waiver", fill: "#b54708" },
        { key: "deny", name: "deny", fill: "#b42318" },
      ]}
    />
  );
}
