/**
 * Seeded randomness for reproducible samples: a mulberry32 generator plus the few draws the trainers
 * need (uniform, normal, shuffle, stratified split). Never Math.random.
 */

/** A seeded generator of uniform floats in [0, 1). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Box-Muller, one value per call). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/**
 * Split row indices into train/test with `trainFraction` of each stratum (rounded) in train. Strata are
 * the distinct values of `strata` (pass one value for all rows for a plain split). Both index lists are
 * returned sorted, so the split depends only on the seed.
 */
export function stratifiedSplit(strata: readonly string[], trainFraction: number, rng: Rng): { train: number[]; test: number[] } {
  const groups = new Map<string, number[]>();
  strata.forEach((s, i) => {
    const g = groups.get(s);
    if (g) g.push(i);
    else groups.set(s, [i]);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...groups.keys()].sort()) {
    const idx = rng.shuffle([...(groups.get(key) ?? [])]);
    const k = Math.round(idx.length * trainFraction);
    train.push(...idx.slice(0, k));
    test.push(...idx.slice(k));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
