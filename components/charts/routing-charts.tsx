"use client";
// Routing metrics charts. Axes carry their units; time is UTC.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LabelledBarChart } from "./labelled-bar-chart";

const label = (bucket: Date, unit: "hour" | "day") => (unit === "hour" ? bucket.toISOString().slice(11, 16) : bucket.toISOString().slice(5, 10));

export function DecisionsOverTimeChart({ rows, unit }: { rows: { bucket: Date; assigned: number; waiting: number; rejected: number }[]; unit: "hour" | "day" }) {
  return (
    <LabelledBarChart
      testId="decisions-chart"
      data={rows.map((r) => ({ ...r, t: label(r.bucket, unit) }))}
      xKey="t"
      xLabel={unit === "hour" ? "Hour (UTC)" : "Day (UTC)"}
      yLabel="Decisions"
      stacked
      bars={[
        { key: "assigned", name: "assigned", fill: "#2453d4" },
        { key: "waiting", name: "waiting", fill: "#b54708" },
        { key: "rejected", name: "rejected", fill: "#b42318" },
      ]}
    />
  );
}

export function AgentShareChart({ rows }: { rows: { name: string; share: number; successRate: number | null; avgQuality: number | null }[] }) {
  const data = rows.slice(0, 20).map((r) => ({
    name: r.name,
    share: Math.round(r.share * 1000) / 10,
    success: r.successRate === null ? null : Math.round(r.successRate * 1000) / 10,
    quality: r.avgQuality === null ? null : Math.round(r.avgQuality * 1000) / 10,
  }));
  return (
    <LabelledBarChart
      testId="agent-share-chart"
      height={260}
      data={data}
      xKey="name"
      xLabel="Agent"
      yLabel="Percent"
      yUnit="%"
      yDomain={[0, 100]}
      bars={[
        { key: "share", name: "share of tasks %", fill: "#2453d4" },
        { key: "success", name: "success rate %", fill: "#067647" },
        { key: "quality", name: "avg quality ×100", fill: "#7a2e98" },
      ]}
    />
  );
}

export function RegretChart({ rows, unit }: { rows: { bucket: Date; cumulativeRegret: number }[]; unit: "hour" | "day" }) {
  const data = rows.map((r) => ({ t: label(r.bucket, unit), regret: Math.round(r.cumulativeRegret * 100) / 100 }));
  return (
    <div style={{ width: "100%", height: 220 }} data-testid="regret-chart">
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" label={{ value: unit === "hour" ? "Hour (UTC)" : "Day (UTC)", position: "insideBottom", offset: -16 }} />
          <YAxis label={{ value: "Cumulative regret (reward units)", angle: -90, position: "insideLeft", style: { fontSize: 11 } }} />
          <Tooltip />
          <Line type="monotone" dataKey="regret" name="cumulative regret" stroke="#b42318" dot />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
