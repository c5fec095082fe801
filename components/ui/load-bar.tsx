// A small utilization bar with its numbers, readable without the colour.
export function LoadBar({ active, max }: { active: number; max: number }) {
  const pct = max > 0 ? Math.min(100, Math.round((active / max) * 100)) : 0;
  const colour = pct >= 100 ? "#b42318" : pct >= 75 ? "#b54708" : "#067647";
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: "0.4rem" }} title={`${active} of ${max} slots in use`}>
      <span style={{ width: 80, height: 8, background: "#eef0f3", borderRadius: 4, overflow: "hidden", display: "inline-block" }}>
        <span style={{ width: `${pct}%`, height: "100%", background: colour, display: "block" }} />
      </span>
      <span className="muted">
        {active}/{max}
      </span>
    </span>
  );
}
