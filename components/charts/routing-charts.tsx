"use client";
// Routing metrics charts. Axes carry their units; time is UTC.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const label = (bucket: Date, unit: "hour" | "day") => (unit === "hour" ? bucket.toISOString().slice(11, 16) : bucket.toISOString().slice(5, 10));

export function DecisionsOverTimeChart({ rows, unit }: { rows: { bucket: Date; assigned: number; waiting: number; rejected: number }[]; unit: "hour" | "day" }) {
  const data = rows.map((r) => ({ ...r, t: label(r.bucket, unit) }));
  return (
    <div style={{ width: "100%", height: 240 }} data-testid="decisions-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" label={{ value: unit === "hour" ? "Hour (UTC)" : "Day (UTC)", position: "insideBottom", offset: -16 }} />
          <YAxis allowDecimals={false} label={{ value: "Decisions", angle: -90, position: "insideLeft" }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          <Bar dataKey="assigned" stackId="d" name="assigned" fill="#2453d4" />
          <Bar dataKey="waiting" stackId="d" name="waiting" fill="#b54708" />
          <Bar dataKey="rejected" stackId="d" name="rejected" fill="#b42318" />
        </BarChart>
      </ResponsiveContainer>
    </div>
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
    <div style={{ width: "100%", height: 260 }} data-testid="agent-share-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" label={{ value: "Agent", position: "insideBottom", offset: -16 }} />
          <YAxis unit="%" domain={[0, 100]} label={{ value: "Percent", angle: -90, position: "insideLeft" }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          <Bar dataKey="share" name="share of tasks %" fill="#2453d4" />
          <Bar dataKey="success" name="success rate %" fill="#067647" />
          <Bar dataKey="quality" name="avg quality ×100" fill="#7a2e98" />
        </BarChart>
      </ResponsiveContainer>
    </div>
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
