// Small display helpers shared by tables.
export const percent = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)}%`);
export const ms = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x < 10 ? `${x.toFixed(2)} ms` : `${Math.round(x)} ms`);
export const dateTime = (d: Date | null | undefined) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "—");

export function ago(d: Date, now = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
