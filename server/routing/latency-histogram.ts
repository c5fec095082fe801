// Fixed, roughly logarithmic latency buckets, so distributions can be summed in SQL (array
// element increments) and percentiles read back without storing every sample.

/** Upper bounds in milliseconds; the last bucket is everything above the last bound. */
export const LATENCY_BOUNDS_MS = [
  0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500, 750, 1000, 1500, 2500, 5000, 7500, 10000,
  15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000,
] as const;

export const BUCKET_COUNT = LATENCY_BOUNDS_MS.length + 1;

export function emptyBuckets(): number[] {
  return new Array<number>(BUCKET_COUNT).fill(0);
}

/** 0-based bucket of a latency. */
export function bucketIndex(ms: number): number {
  let lo = 0;
  let hi: number = LATENCY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= LATENCY_BOUNDS_MS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The q-quantile (0..1) read from bucket counts, interpolated linearly inside the bucket. */
export function percentileFromBuckets(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BOUNDS_MS[i] ?? lower * 2;
      return lower + ((rank - seen) / count) * (upper - lower);
    }
    seen += count;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}

export function addBuckets(a: readonly number[], b: readonly number[]): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}
