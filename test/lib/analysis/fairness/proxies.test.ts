import { describe, expect, test } from 'vitest';
import { entropyBits, mutualInformation, partition, proxyScan } from '../../../../src/lib/analysis/fairness';
import { cat, num, table } from './toy';

describe('mutual information', () => {
  test('a hand-computed 2 × 2 table', () => {
    // X = a: 3 m, 1 f; X = b: 1 m, 3 f. p(x) = p(s) = 1/2.
    const mi = mutualInformation([3, 1, 1, 3], 2, 2);
    const hand = 2 * (3 / 8) * Math.log2(3 / 8 / (1 / 4)) + 2 * (1 / 8) * Math.log2(1 / 8 / (1 / 4));
    expect(hand).toBeCloseTo(0.188722, 6);
    expect(mi).toBeCloseTo(hand, 12);
    expect(mutualInformation([2, 2, 5, 5], 2, 2)).toBe(0); // independent
    expect(mutualInformation([4, 0, 0, 4], 2, 2)).toBeCloseTo(1, 12); // X determines S: H(S) = 1 bit
    expect(mutualInformation([0, 0, 0, 0], 2, 2)).toBe(0);
    expect(entropyBits([1, 1, 1, 1])).toBeCloseTo(2, 12);
    expect(entropyBits([5, 0])).toBe(0);
  });
});

describe('proxy scan', () => {
  const sex = ['m', 'm', 'm', 'm', 'f', 'f', 'f', 'f'];
  const t = table(
    cat('Sex', sex),
    cat('Job', ['a', 'a', 'a', 'b', 'a', 'b', 'b', 'b']), // the 3/1/1/3 table above
    cat('Title', ['Mr', 'Mr', 'Mr', 'Mr', 'Ms', 'Ms', 'Ms', 'Ms']), // a perfect proxy
    num('Height', [180, 175, 190, 185, 160, 165, 170, 150]), // split by quantiles: also perfect at 2 bins
    cat('Noise', ['x', 'y', 'x', 'y', 'x', 'y', 'x', 'y']), // independent
    cat('Target', ['1', '0', '1', '0', '1', '0', '1', '1']),
  );
  const g = partition(t, [{ column: 'Sex' }]);
  const r = proxyScan(t, g, { consumed: ['Job', 'Height', 'Noise'], exclude: ['Target'], bins: 2 });

  test('says whether the model reads the sensitive column', () => {
    expect(r.consumesSensitive).toBe(false);
    expect(r.consumedSensitive).toEqual([]);
    const with_ = proxyScan(t, g, { consumed: ['Sex', 'Job'] });
    expect(with_.consumesSensitive).toBe(true);
    expect(with_.consumedSensitive).toEqual(['Sex']);
    // Target was not excluded there, so it is scanned.
    expect(with_.features.map((f) => f.column)).toContain('Target');
  });

  test('ranks features by normalised MI, with the hand-computed value, chance level and probe', () => {
    expect(r.entropy).toBeCloseTo(1, 12);
    expect(r.rows).toBe(8);
    expect(r.features.map((f) => f.column)).toEqual(['Title', 'Height', 'Job', 'Noise']);
    const [title, height, job, noise] = r.features;
    expect(title.normalized.value).toBeCloseTo(1, 12);
    expect(title.consumed).toBe(false);
    expect(height.consumed).toBe(true);
    expect(height.levels).toBe(2);
    expect(height.mutualInformation).toBeCloseTo(1, 12);
    expect(job.mutualInformation).toBeCloseTo(0.188722, 6);
    expect(job.probeAccuracy).toBe(0.75);
    expect(job.majorityRate).toBe(0.5);
    expect(job.chanceMI).toBeCloseTo(1 / (2 * 8 * Math.LN2), 12);
    expect(noise.mutualInformation).toBe(0);
    expect(noise.probeAccuracy).toBe(0.5);
  });

  test('an intersection as the attribute; a single-group attribute has no normalised MI', () => {
    const x = partition(t, [{ column: 'Sex' }, { column: 'Noise' }]);
    const rx = proxyScan(t, x, { consumed: [], exclude: ['Target'] });
    expect(rx.entropy).toBeCloseTo(2, 12);
    expect(rx.features.map((f) => f.column)).not.toContain('Noise');
    const t1 = table(cat('S', Array<string>(8).fill('z')), cat('Job', ['a', 'a', 'a', 'b', 'a', 'b', 'b', 'b']));
    const r1 = proxyScan(t1, partition(t1, [{ column: 'S' }]), { consumed: [] });
    expect(r1.features[0].normalized).toEqual({ value: null, reason: 'the sensitive attribute has a single group' });
  });
});
