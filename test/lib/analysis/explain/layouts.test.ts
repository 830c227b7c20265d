/** Waterfall and force-bar shapes, the beeswarm summary, what-if helpers and output spaces. */
import { describe, expect, test } from 'vitest';
import { rowAttribution, shapSummary, type Attributions } from '../../../../src/lib/analysis/explain/attributions';
import { logit, selectOutput } from '../../../../src/lib/analysis/explain/output';
import { forceBar, waterfall } from '../../../../src/lib/analysis/explain/waterfall';
import { diffRows, rowCells, withEdits } from '../../../../src/lib/analysis/explain/what-if';
import { makeTable } from './tables';

const row = { features: ['a', 'b', 'c', 'd'], base: 1, output: 3.5, phi: Float64Array.from([2, -0.5, 0.25, 0.75]), additivityError: 0 };

describe('one-row layouts', () => {
  test('waterfall: steps by |φ|, running totals from base to output, the rest lumped', () => {
    const w = waterfall(row, { maxSteps: 3, valueText: (f) => `v${f}` });
    expect(w.steps.map((s) => s.label)).toEqual(['a', 'd', '2 other features']);
    expect(w.steps[0]).toMatchObject({ value: 'va', start: 1, end: 3 });
    expect(w.steps[2]).toMatchObject({ phi: -0.25, start: 3.75, end: 3.5, features: 2 });
    expect(w.steps.at(-1)!.end).toBe(w.output);
    expect([w.min, w.max]).toEqual([1, 3.75]);
    expect(waterfall(row).steps).toHaveLength(4);
  });

  test('force bar: positives push up to the output, negatives down to it, largest nearest', () => {
    const f = forceBar(row);
    expect(f.up.map((s) => s.feature)).toEqual(['c', 'd', 'a']);
    expect(f.up.at(-1)!.to).toBeCloseTo(3.5, 12);
    expect(f.down.map((s) => s.feature)).toEqual(['b']);
    expect(f.down[0]).toMatchObject({ from: 4, to: 3.5 });
    expect([f.min, f.max]).toEqual([0.5, 4]);
  });
});

describe('summary over rows', () => {
  test('mean |φ| ranks features; numeric colours are ranks in [0, 1]; categorical colours are NaN', () => {
    const t = makeTable({ n: [5, 1, 3, NaN], k: ['x', 'y', 'x', 'y'] });
    const a: Attributions = {
      method: 'kernel-exact', features: ['n', 'k'], rows: Uint32Array.from([0, 1, 2, 3]), base: 0,
      outputs: new Float64Array(4), phi: Float64Array.from([1, 2, -1, 2, 0, -2, 1, 2]), additivityError: 0, space: 'value', calls: 0,
    };
    const s = shapSummary(a, t);
    expect(s.map((f) => f.feature)).toEqual(['k', 'n']);
    expect(s[0].meanAbs).toBe(2);
    expect(Array.from(s[1].color)).toEqual([1, 0, 0.5, NaN]);
    expect(s[0].cells).toEqual(['x', 'y', 'x', 'y']);
    expect(Number.isNaN(s[0].color[0])).toBe(true);
    expect(rowAttribution(a, 1)).toMatchObject({ output: 0, base: 0, additivityError: 1 });
  });
});

describe('what-if helpers', () => {
  test('withEdits copies one row, edits cells (new categories appended to the copy only); diffRows lists changes', () => {
    const t = makeTable({ n: [1, 2], k: ['x', 'y'] });
    const e = withEdits(t, 1, { n: 7, k: 'new' });
    expect(e.nRows).toBe(1);
    expect(rowCells(e, 0)).toEqual({ n: 7, k: 'new' });
    expect((t.columns[1] as { categories: string[] }).categories).toEqual(['x', 'y']);
    expect(diffRows(t, 1, e, 0)).toEqual([{ column: 'n', from: 2, to: 7 }, { column: 'k', from: 'y', to: 'new' }]);
    expect(rowCells(withEdits(t, 0, { n: null }), 0)).toEqual({ n: null, k: 'x' });
    expect(() => withEdits(t, 2, {})).toThrow();
  });
});

describe('output spaces', () => {
  test('binary log-odds from both columns; clamped logit; regression values pass through', () => {
    const scores = Float32Array.from([0.25, 0.75, 1, 0]);
    expect(selectOutput(scores, 2, 2, { task: 'binary', classIndex: 1, space: 'log-odds' })[0]).toBeCloseTo(Math.log(3), 6);
    expect(Number.isFinite(selectOutput(scores, 2, 2, { task: 'binary', classIndex: 0, space: 'log-odds' })[1])).toBe(true);
    expect(Array.from(selectOutput(scores, 2, 2, { task: 'binary', classIndex: 0, space: 'probability' }))).toEqual([0.25, 1]);
    expect(Array.from(selectOutput(Float32Array.from([3, 4]), 2, 1, { task: 'regression', classIndex: 0, space: 'value' }))).toEqual([3, 4]);
    expect(logit(0.5)).toBe(0);
    expect(Number.isFinite(logit(1))).toBe(true);
    expect(() => selectOutput(scores, 2, 2, { task: 'binary', classIndex: 2, space: 'probability' })).toThrow();
  });
});
