import { describe, expect, it } from "vitest";
import { normalSampler, osSeededRng, sampleBeta, sampleGamma, seededRng, xoshiro128ss } from "./random";

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

describe("normal, gamma and beta samplers", () => {
  const moments = (xs: number[]) => {
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    return { mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length };
  };

  it("draws standard normals whose paired values (cos and sin of one angle) are uncorrelated", () => {
    const normal = normalSampler(seededRng(9));
    const xs = Array.from({ length: 100_000 }, normal);
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    let products = 0;
    for (let i = 0; i < xs.length; i += 2) products += xs[i]! * xs[i + 1]!;
    expect(Math.abs(products / (xs.length / 2))).toBeLessThan(0.02);
    expect(xs.filter((x) => Math.abs(x) > 1.96).length / xs.length).toBeCloseTo(0.05, 2);
  });

  it.each([
    [2, 5],
    [0.5, 0.5],
    [50, 30],
    [1, 1],
  ])("samples Beta(%d, %d) with its mean and variance", (alpha, beta) => {
    const rng = seededRng(alpha * 100 + beta);
    const normal = normalSampler(rng);
    const { mean, variance } = moments(Array.from({ length: 50_000 }, () => sampleBeta(alpha, beta, rng, normal)));
    const expectedMean = alpha / (alpha + beta);
    const expectedVariance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
    expect(Math.abs(mean - expectedMean)).toBeLessThan(0.01);
    expect(Math.abs(variance - expectedVariance) / expectedVariance).toBeLessThan(0.05);
  });

  it("samples Gamma(shape, 1) with mean and variance equal to its shape", () => {
    const rng = seededRng(4);
    for (const shape of [0.3, 3, 40]) {
      const { mean, variance } = moments(Array.from({ length: 50_000 }, () => sampleGamma(shape, rng)));
      expect(Math.abs(mean - shape) / shape).toBeLessThan(0.03);
      expect(Math.abs(variance - shape) / shape).toBeLessThan(0.06);
    }
  });
});
