"use client";
// Constitutional verdicts per day (UTC), stacked.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function VerdictsChart({ rows }: { rows: { day: string; allow: number; deny: number; needs_waiver: number }[] }) {
  const data = rows.map((r) => ({ ...r, t: r.day.slice(5) }));
  return (
    <div style={{ width: "100%", height: 240 }} data-testid="verdicts-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" label={{ value: "Day (UTC)", position: "insideBottom", offset: -16 }} />
          <YAxis allowDecimals={false} label={{ value: "Decisions", angle: -90, position: "insideLeft" }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          <Bar dataKey="allow" stackId="v" name="allow" fill="#067647" />
          <Bar dataKey="needs_waiver" stackId="v" name="needs waiver" fill="#b54708" />
          <Bar dataKey="deny" stackId="v" name="deny" fill="#b42318" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
