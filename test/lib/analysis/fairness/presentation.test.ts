import { describe, expect, test } from 'vitest';
import { partition, proxyScan } from '../../../../src/lib/analysis/fairness';
import { defaultFavorable, dotDomain, dotRows, formatRule, parseEdges, proxyVerdict } from '../../../../src/lib/analysis/fairness/presentation';
import { cat, table } from './toy';

describe('fairness presentation', () => {
  test('the favourable decision follows the positive class name', () => {
    expect(defaultFavorable('Bad')).toBe('negative');
    expect(defaultFavorable('default')).toBe('negative');
    expect(defaultFavorable('HighRisk')).toBe('negative');
    expect(defaultFavorable('Good')).toBe('positive');
    expect(defaultFavorable('approved')).toBe('positive');
    expect(defaultFavorable('>50K')).toBe('positive');
  });

  test('edges parse, sort and dedupe; nothing parses to null', () => {
    expect(parseEdges('40, 25;25 60')).toEqual([25, 40, 60]);
    expect(parseEdges(' , x ')).toBeNull();
  });

  test('rules read as one threshold or a mix with its probability', () => {
    expect(formatRule({ thresholds: [0.4], weights: [1] })).toBe('0.400');
    expect(formatRule({ thresholds: [0.41, 0.38], weights: [0.27, 0.73] })).toBe('0.410/0.380 with p=0.27');
    expect(formatRule({ thresholds: [0.5, 0.3], weights: [1, 0] })).toBe('0.500');
    expect(formatRule({ thresholds: [Infinity], weights: [1] })).toBe('∞ (none)');
  });

  test('the chart domain holds every whisker, the no-gap line and the four-fifths band', () => {
    const cells = [
      { value: { value: 1, reason: null }, interval: { lo: null, hi: null, reason: 'the reference group', resamples: 0 }, flagged: false },
      { value: { value: 0.6, reason: null }, interval: { lo: 0.4, hi: 0.9, reason: null, resamples: 200 }, flagged: true },
      { value: { value: null, reason: 'no rows' }, interval: { lo: null, hi: null, reason: 'no rows', resamples: 0 }, flagged: false },
    ] as const;
    const rows = dotRows(['a', 'b', 'c'], cells as never, [0], [false, false, true]);
    expect(rows[0].reference).toBe(true);
    expect(rows[1]).toMatchObject({ value: 0.6, lo: 0.4, hi: 0.9, flagged: true });
    expect(rows[2]).toMatchObject({ value: null, reason: 'no rows', tooSmall: true });
    expect(dotDomain(rows, true)).toEqual([0.4, 1.25]);
    // Differences are symmetric around 0.
    expect(dotDomain(rows, false)).toEqual([-1, 1]);
  });

  test('the proxy verdict names a perfect proxy and a consumed sensitive column', () => {
    const t = table(
      cat('Sex', ['m', 'm', 'm', 'm', 'f', 'f', 'f', 'f']),
      cat('Title', ['Mr', 'Mr', 'Mr', 'Mr', 'Ms', 'Ms', 'Ms', 'Ms']),
      cat('Noise', ['x', 'y', 'x', 'y', 'x', 'y', 'x', 'y']),
    );
    const g = partition(t, [{ column: 'Sex' }]);
    const off = proxyVerdict(proxyScan(t, g, { consumed: ['Title', 'Noise'] }), 'Sex');
    expect(off.level).toBe('bad');
    expect(off.text).toMatch(/does not read Sex, but Title predicts it almost perfectly/);
    const on = proxyVerdict(proxyScan(t, g, { consumed: ['Sex', 'Title'] }), 'Sex');
    expect(on.text).toMatch(/reads Sex directly.*Title/);
    const clean = proxyVerdict(proxyScan(t, g, { consumed: ['Noise'], columns: ['Noise'] }), 'Sex');
    expect(clean.level).toBe('ok');
  });
});
