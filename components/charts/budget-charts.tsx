"use client";
// A budget's month: cost units left after each day against an even-spend line, and tasks per day.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LabelledBarChart } from "./labelled-bar-chart";

interface Day {
  day: string;
  tasks: number | null;
  remaining: number | null;
  ideal: number | null;
}

export function BurnDownChart({ days, testId }: { days: Day[]; testId: string }) {
  const data = days.map((d) => ({ ...d, t: d.day.slice(8) }));
  return (
    <div style={{ width: "100%", height: 220 }} data-testid={testId}>
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" label={{ value: "Day of month (UTC)", position: "insideBottom", offset: -16 }} />
          <YAxis label={{ value: "Cost units left", angle: -90, position: "insideLeft", style: { fontSize: 11 } }} />
          <Tooltip />
          <Legend verticalAlign="top" />
          <Line dataKey="remaining" name="left" stroke="#2453d4" dot={false} />
          <Line dataKey="ideal" name="even spend" stroke="#98a2b3" strokeDasharray="4 4" dot={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function TasksPerDayChart({ days, testId }: { days: Day[]; testId: string }) {
  return (
    <LabelledBarChart
      testId={testId}
      height={200}
      data={days.filter((d) => d.tasks !== null).map((d) => ({ t: d.day.slice(8), tasks: d.tasks }))}
      xKey="t"
      xLabel="Day of month (UTC)"
      yLabel="Tasks"
      legend={false}
      bars={[{ key: "tasks", name: "tasks", fill: "#2453d4" }]}
    />
  );
}
