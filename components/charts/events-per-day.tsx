"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function EventsPerDayChart({ data }: { data: { day: string; events: number }[] }) {
  return (
    <div style={{ width: "100%", height: 260 }} data-testid="events-per-day-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} label={{ value: "Day (UTC)", position: "insideBottom", offset: -16 }} />
          <YAxis allowDecimals={false} label={{ value: "Events", angle: -90, position: "insideLeft" }} />
          <Tooltip />
          <Bar dataKey="events" name="Audit events" fill="#2453d4" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
