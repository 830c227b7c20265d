/**
 * Seeded randomness for every resampling and sampling in Loupe, so results are reproducible:
 * the same seed gives the same bootstrap intervals, samples and permutations.
 */

/** A uniform generator on [0, 1) (mulberry32: 32-bit state, fast, good enough for resampling). */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Indexes 0..n-1 drawn with replacement (one bootstrap resample). */
export function resampleIndexes(rng: Rng, n: number, out = new Uint32Array(n)): Uint32Array {
  for (let i = 0; i < n; i++) out[i] = Math.floor(rng() * n);
  return out;
}

/** k distinct indexes from 0..n-1 (partial Fisher-Yates), in draw order. */
export function sampleWithoutReplacement(rng: Rng, n: number, k: number): Uint32Array {
  const m = Math.min(k, n);
  const pool = new Uint32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, m);
}

/** Shuffles `arr` in place (Fisher-Yates). */
export function shuffle<T extends { length: number; [i: number]: unknown }>(rng: Rng, arr: T): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  }
  return arr;
}
