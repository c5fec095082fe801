"use client";
// The dashboard's bar chart: labelled axes with units, optional legend and stacking. Every bar chart
// in the dashboard is this one with its own series.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface BarSeries {
  key: string;
  name: string;
  fill: string;
}

export function LabelledBarChart(props: {
  data: object[];
  /** The field of each row on the x axis. */
  xKey: string;
  xLabel: string;
  xTick?: (value: string) => string;
  yLabel: string;
  yUnit?: string;
  yDomain?: [number, number];
  bars: BarSeries[];
  /** Stack the series in one bar per x value. */
  stacked?: boolean;
  legend?: boolean;
  height?: number;
  testId: string;
}) {
  return (
    <div style={{ width: "100%", height: props.height ?? 240 }} data-testid={props.testId}>
      <ResponsiveContainer>
        <BarChart data={props.data} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey={props.xKey} tickFormatter={props.xTick} label={{ value: props.xLabel, position: "insideBottom", offset: -16 }} />
          <YAxis
            allowDecimals={props.yUnit !== undefined}
            unit={props.yUnit}
            domain={props.yDomain}
            label={{ value: props.yLabel, angle: -90, position: "insideLeft", style: { fontSize: 11 } }}
          />
          <Tooltip />
          {props.legend === false ? null : <Legend verticalAlign="top" />}
          {props.bars.map((b) => (
            <Bar key={b.key} dataKey={b.key} name={b.name} fill={b.fill} stackId={props.stacked ? "stack" : undefined} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
