import { describe, expect, it } from "vitest";
import { osSeededRng, xoshiro128ss } from "./random";

describe("xoshiro128**", () => {
  it("produces the reference sequence for seed 1, 2, 3, 4", () => {
    const rng = xoshiro128ss(Uint32Array.from([1, 2, 3, 4]));
    const words = Array.from({ length: 5 }, () => rng() * 2 ** 32);
    expect(words).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });

  it("does not stick at zero for an all-zero seed", () => {
    const rng = xoshiro128ss(new Uint32Array(4));
    expect(Array.from({ length: 8 }, rng).some((x) => x > 0)).toBe(true);
  });

  it("is uniform on [0, 1) when seeded from the OS, with a different stream per generator", () => {
    const rng = osSeededRng();
    const deciles = new Array<number>(10).fill(0);
    const n = 200_000;
    let [min, max] = [1, 0];
    for (let i = 0; i < n; i++) {
      const x = rng();
      [min, max] = [Math.min(min, x), Math.max(max, x)];
      deciles[Math.floor(x * 10)]! += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of deciles) expect(Math.abs(count - n / 10)).toBeLessThan(n / 10 * 0.03);
    const [first, second] = [osSeededRng(), osSeededRng()];
    expect(Array.from({ length: 4 }, first)).not.toEqual(Array.from({ length: 4 }, second));
  });
});
