"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLOURS = ["#2453d4", "#067647", "#b54708", "#7a2e98", "#b42318", "#0e7490", "#4d7c0f", "#9f1239"];

/** Success rate per day, one line per task type. */
export function DailyPerformanceChart({ rows }: { rows: { day: string; taskType: string; successRate: number | null }[] }) {
  const types = [...new Set(rows.map((r) => r.taskType))];
  const byDay = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const entry = byDay.get(r.day) ?? { day: r.day };
    if (r.successRate !== null) entry[r.taskType] = Math.round(r.successRate * 1000) / 10;
    byDay.set(r.day, entry);
  }
  return (
    <div style={{ width: "100%", height: 240 }} data-testid="daily-performance-chart">
      <ResponsiveContainer>
        <LineChart data={[...byDay.values()]} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" label={{ value: "Day (UTC)", position: "insideBottom", offset: -16 }} />
          <YAxis domain={[0, 100]} unit="%" label={{ value: "Success", angle: -90, position: "insideLeft" }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          {types.map((t, i) => (
            <Line key={t} type="monotone" dataKey={t} name={t} stroke={COLOURS[i % COLOURS.length]} dot />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
