import { describe, expect, test } from 'vitest';
import type { ErrorHeatmap } from '../../../src/lib/analysis/quality/heatmap';
import { known, unknown } from '../../../src/lib/analysis/quality/metric';
import { colorLegend, errorColorScale, formatError, heatmapSummary, layoutHeatmap, textOn, truncate, wrapText } from '../../../src/lib/charts/heatmap-layout';

/** 3 × 2 cells; the middle bottom one is empty. */
function heatmap(kind: ErrorHeatmap['kind'] = 'misclassified', xLabels = ['[18, 25)', '[25, 40)', '[40, 75]']): ErrorHeatmap {
  const count = Float64Array.from([100, 50, 20, 30, 0, 5]);
  const errorSum = Float64Array.from([10, 20, 2, 3, 0, 4]);
  return {
    kind,
    x: { column: 'Age', kind: 'numeric', labels: xLabels, edges: [18, 25, 40, 75] },
    y: { column: 'Purpose', kind: 'categorical', labels: ['car', 'education'], edges: null },
    count,
    errorSum,
    meanError: Array.from(count, (c, k) => (c ? known(errorSum[k] / c) : unknown('no rows'))),
  };
}

describe('error colours', () => {
  test('domain rounds the maximum up; colours darken with error; nothing positive gives [0, 1]', () => {
    const s = errorColorScale(0.47);
    expect(s.domain).toEqual([0, 0.5]);
    const lum = (c: string) => {
      const m = c.match(/\d+/g)!.map(Number);
      return m[0] + m[1] + m[2];
    };
    expect(lum(s.color(0))).toBeGreaterThan(lum(s.color(0.25)));
    expect(lum(s.color(0.25))).toBeGreaterThan(lum(s.color(0.5)));
    expect(s.color(2)).toBe(s.color(0.5));
    expect(errorColorScale(0).domain).toEqual([0, 1]);
    expect(errorColorScale(NaN).domain).toEqual([0, 1]);
  });

  test('text colour contrasts with the fill', () => {
    expect(textOn('#ffffff')).toBe('#000000');
    expect(textOn('#7f0000')).toBe('#ffffff');
    const s = errorColorScale(1);
    expect(textOn(s.color(0))).toBe('#000000');
    expect(textOn(s.color(1))).toBe('#ffffff');
  });

  test('legend: contiguous steps across the width, ticks inside it, labels in the error units', () => {
    const s = errorColorScale(0.4);
    const l = colorLegend(s, 'misclassified', 10, 20, 100, 8, 20);
    expect(l.steps).toHaveLength(20);
    expect(l.steps[0].x).toBe(10);
    expect(l.steps[19].x + 5).toBeCloseTo(110, 9);
    expect(l.ticks[0]).toMatchObject({ value: 0, pos: 10, label: '0%' });
    expect(l.ticks.at(-1)!.pos).toBeCloseTo(110, 9);
    expect(l.ticks.at(-1)!.label).toBe('40%');
    expect(l.title).toBe('error rate');
    expect(colorLegend(errorColorScale(3.3), 'absolute error', 0, 0).title).toBe('mean absolute error');
  });

  test('error text: percentages for rates, 3 digits for MAE', () => {
    expect(formatError('misclassified', 0.3125)).toBe('31%');
    expect(formatError('misclassified', 0.045)).toBe('4.5%');
    expect(formatError('misclassified', 0)).toBe('0%');
    expect(formatError('absolute error', 1234.567)).toBe('1230');
    expect(formatError('absolute error', 0.012345)).toBe('0.0123');
  });
});

describe('text fitting', () => {
  test('wraps at words, cuts with an ellipsis, shortens a long word and goes on', () => {
    expect(wrapText('Age ≤ 25.5', 20)).toEqual({ lines: ['Age ≤ 25.5'], truncated: false });
    expect(wrapText('Purpose = radio or television', 16, 2)).toEqual({ lines: ['Purpose = radio', 'or television'], truncated: false });
    const cut = wrapText('Purpose ≠ radio or television or missing', 16, 2);
    expect(cut.truncated).toBe(true);
    expect(cut.lines).toHaveLength(2);
    expect(cut.lines[1].endsWith('…')).toBe(true);
    for (const l of cut.lines) expect(l.length).toBeLessThanOrEqual(16);
    expect(wrapText('CheckingAccountStatus = no account', 10, 1)).toEqual({ lines: ['CheckingA…'], truncated: true });
    expect(wrapText('CheckingAccountStatus = no account', 12, 2)).toEqual({ lines: ['CheckingAcc…', '= no account'], truncated: true });
    expect(wrapText('', 10)).toEqual({ lines: [], truncated: false });
  });

  test('truncate cuts characters, not words', () => {
    expect(truncate('radio or television', 12)).toBe('radio or te…');
    expect(truncate('car', 12)).toBe('car');
  });
});

describe('heatmap layout', () => {
  test('one cell per bin pair, row-major, tiling the plot box', () => {
    const h = heatmap();
    const l = layoutHeatmap(h, { width: 500 });
    expect(l.cells).toHaveLength(6);
    expect(l.cells.map((c) => [c.xi, c.yi])).toEqual([[0, 0], [1, 0], [2, 0], [0, 1], [1, 1], [2, 1]]);
    const c0 = l.cells[0], c5 = l.cells[5];
    expect(c0.x).toBeCloseTo(l.box.x0, 9);
    expect(c0.y).toBeCloseTo(l.box.y1, 9);
    expect(c5.x + c5.width).toBeCloseTo(l.box.x1, 9);
    expect(c5.y + c5.height).toBeCloseTo(l.box.y0, 9);
    expect(l.box.x1).toBeLessThanOrEqual(500);
    expect(l.box.y0).toBeLessThan(l.height);
    expect(l.xLabels.map((a) => a.text)).toEqual(h.x.labels);
    expect(l.xLabels[1].pos).toBeCloseTo(l.cells[1].x + l.cells[1].width / 2, 9);
    expect(l.yLabels[1].pos).toBeCloseTo(l.cells[3].y + l.cells[3].height / 2, 9);
    expect(l.xRotated).toBe(false);
  });

  test('cells carry count, error and colour; empty cells have none and say so', () => {
    const l = layoutHeatmap(heatmap(), { width: 500 });
    const [a, b, , , empty] = l.cells;
    expect(a).toMatchObject({ count: 100, mean: 0.1 });
    expect(a.text).toEqual(['100', '10%']);
    expect(b.fill).toBe(l.color.color(0.4));
    expect(l.color.domain).toEqual([0, 0.8]);
    expect(empty.fill).toBeNull();
    expect(empty.mean).toBeNull();
    expect(empty.text).toEqual(['no rows']);
    expect(empty.title).toBe('Age [25, 40), Purpose education: no rows');
    expect(b.title).toBe('Age [25, 40), Purpose car: error rate 40% over 50 rows');
  });

  test('long x labels turn and are cut; narrow cells drop text they cannot fit', () => {
    const labels = Array.from({ length: 14 }, (_, i) => `category number ${i} with a long name`);
    const h = heatmap('absolute error', labels);
    h.count = new Float64Array(28).fill(1200);
    h.errorSum = new Float64Array(28).fill(3000);
    h.meanError = Array.from({ length: 28 }, () => known(2.5));
    const l = layoutHeatmap(h, { width: 500 });
    expect(l.xRotated).toBe(true);
    for (const x of l.xLabels) expect(x.text.length).toBeLessThanOrEqual(18);
    expect(l.xLabels[0].full).toBe(labels[0]);
    for (const c of l.cells) for (const t of c.text) expect(t.length * 10 * 0.62).toBeLessThanOrEqual(c.width);
    expect(l.cells[0].title).toMatch(/mean absolute error 2.5 over 1,200 rows$/);
  });

  test('summary names the worst well-populated cell and the overall error', () => {
    expect(heatmapSummary(heatmap())).toBe(
      'Error rate by Age (across) and Purpose (down); 5 of 6 cells have rows. Highest: Age [25, 40) and Purpose car, 40% wrong on 50 rows (overall 19%).',
    );
    // With every cell counted, the 5-row cell at 80% wins.
    expect(heatmapSummary(heatmap(), 1)).toMatch(/Highest: Age \[40, 75\] and Purpose education, 80% wrong on 5 rows/);
    const one = heatmap();
    one.count[5] = 1;
    one.errorSum[5] = 1;
    one.meanError[5] = known(1);
    expect(heatmapSummary(one, 1)).toMatch(/100% wrong on 1 row \(/);
    const empty = heatmap();
    empty.count.fill(0);
    empty.errorSum.fill(0);
    empty.meanError = empty.meanError.map(() => unknown('no rows'));
    expect(heatmapSummary(empty)).toMatch(/0 of 6 cells have rows\. No rows with a known error\.$/);
    expect(heatmapSummary(heatmap('absolute error'))).toMatch(/^Mean absolute error by .* mean absolute error 0.4 on 50 rows \(overall 0.19\)\.$/);
  });
});
