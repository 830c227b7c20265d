import { describe, expect, test } from 'vitest';
import { bootstrapBinary, bootstrapMulticlass, bootstrapRegression } from '../../../../src/lib/analysis/quality/bootstrap';
import { buildThresholdTable, aucOf, logLoss, metricsAt } from '../../../../src/lib/analysis/quality/binary';
import { multiclassQuality } from '../../../../src/lib/analysis/quality/multiclass';
import { regressionErrors } from '../../../../src/lib/analysis/quality/regression';
import { createRng, resampleIndexes } from '../../../../src/lib/analysis/random';

function binaryData(n: number, seed: number) {
  const rng = createRng(seed);
  const y = new Int8Array(n), s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng() < 0.4 ? 1 : 0;
    s[i] = Math.round((rng() * 0.6 + y[i] * 0.4) * 50) / 50;
  }
  return { y, s };
}

/** Row indexes of the first resample the bootstrap draws (n draws of floor(rng() * n)). */
const firstDraw = (seed: number, n: number) => resampleIndexes(createRng(seed), n);

/** Rows `idx` of a column holding `width` values per row. */
function gather<T extends Int8Array | Int32Array | Float64Array>(col: T, idx: Uint32Array, width = 1): T {
  const out = col.slice(0, 0) as T;
  const res = new (out.constructor as new (k: number) => T)(idx.length * width);
  for (let k = 0; k < idx.length; k++) for (let j = 0; j < width; j++) res[k * width + j] = col[idx[k] * width + j];
  return res;
}

describe('bootstrap intervals', () => {
  test('one resample reproduces the metrics computed directly on the resampled rows', () => {
    const { y, s } = binaryData(600, 4);
    const r = bootstrapBinary(y, s, 0.5, { resamples: 1, seed: 11 });
    // Binary draws index the rows sorted by descending score (ties by row).
    const byScore = Uint32Array.from({ length: 600 }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
    const d1 = firstDraw(11, 600).map((k) => byScore[k]);
    const ry = gather(y, d1), rs = gather(s, d1);
    const t = buildThresholdTable(ry, rs);
    const m = metricsAt(t, 0.5);
    expect(r.intervals.accuracy.lo).toBeCloseTo(m.accuracy.value!, 12);
    expect(r.intervals.f1.lo).toBeCloseTo(m.f1.value!, 12);
    expect(r.intervals.auc.lo).toBeCloseTo(aucOf(t).value!, 12);
    expect(r.intervals.logLoss.lo).toBeCloseTo(logLoss(ry, rs).value!, 12);

    const probs = Float64Array.from({ length: 600 * 3 }, (_, k) => ((k * 7919) % 13) / 13);
    const actual = Int32Array.from({ length: 600 }, (_, i) => i % 3);
    const mc = bootstrapMulticlass(probs, 3, actual, undefined, { resamples: 1, seed: 5 });
    const d2 = firstDraw(5, 600);
    const rp = gather(probs, d2, 3), ra = gather(actual, d2);
    const q = multiclassQuality(rp, 3, ra);
    expect(mc.intervals.accuracy.lo).toBeCloseTo(q.accuracy.value!, 12);
    expect(mc.intervals.macroF1.lo).toBeCloseTo(q.macro.f1.value!, 12);

    const yr = Float64Array.from({ length: 600 }, (_, i) => 1000 + Math.sin(i) * 10);
    const pr = Float64Array.from(yr, (v, i) => v + Math.cos(i * 3) * 2);
    const rb = bootstrapRegression(yr, pr, { resamples: 1, seed: 8 });
    const d3 = firstDraw(8, 600);
    const ryr = gather(yr, d3), rpr = gather(pr, d3);
    const e = regressionErrors(ryr, rpr);
    expect(rb.intervals.mae.lo).toBeCloseTo(e.mae.value!, 12);
    expect(rb.intervals.rmse.lo).toBeCloseTo(e.rmse.value!, 12);
    expect(rb.intervals.r2.lo).toBeCloseTo(e.r2.value!, 9);
  });

  test('seeded: same seed same interval; the interval brackets the estimate and narrows with rows', () => {
    const { y, s } = binaryData(3000, 1);
    const a = bootstrapBinary(y, s, 0.5), b = bootstrapBinary(y, s, 0.5);
    expect(a).toEqual(b);
    expect(a.resamples).toBe(200);
    expect(a.rows).toBe(3000);
    const auc = aucOf(buildThresholdTable(y, s)).value!;
    const iv = a.intervals.auc;
    expect(iv.reason).toBeNull();
    expect(iv.lo!).toBeLessThan(auc);
    expect(iv.hi!).toBeGreaterThan(auc);
    expect(iv.hi! - iv.lo!).toBeLessThan(0.06);
    const capped = bootstrapBinary(y, s, 0.5, { maxRows: 300 });
    expect(capped.rows).toBe(300);
    expect(capped.intervals.auc.hi! - capped.intervals.auc.lo!).toBeGreaterThan(iv.hi! - iv.lo!);
    expect(bootstrapBinary(y, s, 0.5, { seed: 2 }).intervals.auc).not.toEqual(iv);
  });

  test('undefined metrics give reasons: one class, constant target, no rows', () => {
    const one = bootstrapBinary(Int8Array.from([1, 1, 1, 1]), Float64Array.from([0.1, 0.5, 0.7, 0.9]), 0.5, { resamples: 20 });
    expect(one.intervals.auc).toEqual({ lo: null, hi: null, reason: 'undefined in most resamples (only one class in the labels)', resamples: 0 });
    expect(one.intervals.accuracy.reason).toBeNull();
    const flat = bootstrapRegression([2, 2, 2], [1, 2, 3], { resamples: 20 });
    expect(flat.intervals.r2.reason).toMatch(/constant/);
    expect(flat.intervals.mae.reason).toBeNull();
    const none = bootstrapMulticlass(new Float64Array(0), 3, new Int32Array(0));
    expect(none.intervals.accuracy).toEqual({ lo: null, hi: null, reason: 'no rows', resamples: 0 });
  });

  test('10k rows x 200 resamples (timed, not asserted)', () => {
    const { y, s } = binaryData(10_000, 2);
    const t0 = performance.now();
    bootstrapBinary(y, s, 0.5);
    console.log(`[quality] bootstrap binary 10k rows x 200: ${(performance.now() - t0).toFixed(0)} ms`);
    const big = binaryData(100_000, 3);
    const t1 = performance.now();
    bootstrapBinary(big.y, big.s, 0.5);
    console.log(`[quality] bootstrap binary 100k rows x 200: ${(performance.now() - t1).toFixed(0)} ms`);
  });
});
