// Seedable randomness for the bandit: routing takes an `rng` so simulations and tests are exact.

export type Rng = () => number;

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * xoshiro128**: 128 bits of state (period 2^128 - 1), seeded once from the OS. Routing draws ~6
 * numbers per Thompson candidate (1,500 per decision over 250 agents); inside the Next.js server
 * Math.random is wrapped in a dynamic-IO check (two AsyncLocalStorage lookups per call), which cost
 * ~3% of a route+assign call's CPU in bench:routing.
 */
export function osSeededRng(): Rng {
  return xoshiro128ss(crypto.getRandomValues(new Uint32Array(4)));
}

/** xoshiro128** (Blackman and Vigna) from a 128-bit seed. */
export function xoshiro128ss(seed: Uint32Array): Rng {
  let a = seed[0]!;
  let b = seed[1]!;
  let c = seed[2]!;
  let d = seed[3]!;
  if ((a | b | c | d) === 0) a = 1; // the all-zero state would stay zero
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export const systemRng: Rng = osSeededRng();

/**
 * Standard normal draws by Box-Muller, using both values of each pair: one log, one sqrt and one
 * cos/sin per two draws. Thompson sampling takes two or more per candidate, so a decision makes one
 * sampler and passes it to every sampleBeta.
 */
export function normalSampler(rng: Rng): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    // 1 - u keeps the log finite.
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    spare = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  };
}

/** Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 through the boost Gamma(a+1) * U^(1/a). */
export function sampleGamma(shape: number, rng: Rng, normal: () => number = normalSampler(rng)): number {
  if (shape < 1) return sampleGamma(shape + 1, rng, normal) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(alpha: number, beta: number, rng: Rng, normal: () => number = normalSampler(rng)): number {
  const x = sampleGamma(alpha, rng, normal);
  const y = sampleGamma(beta, rng, normal);
  return x / (x + y);
}
