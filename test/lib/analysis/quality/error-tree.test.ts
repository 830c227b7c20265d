import { describe, expect, test } from 'vitest';
import type { Table } from '../../../../src/lib/data/table';
import { fitErrorTree, nodeRows, worstLeaves, type ErrorTree } from '../../../../src/lib/analysis/quality/error-tree';
import { errorHeatmap } from '../../../../src/lib/analysis/quality/heatmap';
import { absoluteResiduals, misclassified } from '../../../../src/lib/analysis/quality/row-errors';
import { createRng } from '../../../../src/lib/analysis/random';

const stats = { missing: 0, invalid: 0, distinct: 0, invalidExamples: [] };

/** 400 rows: errors concentrate in young applicants buying cars; Noise is unrelated. */
function synthetic(): { table: Table; correct: Int8Array } {
  const n = 400;
  const rng = createRng(12);
  const age = new Float64Array(n), noise = new Float64Array(n), purpose = new Int32Array(n), correct = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    age[i] = 18 + (i % 50);
    noise[i] = rng();
    purpose[i] = i % 4 === 0 ? 0 : i % 4 === 1 ? 1 : 2;
    const hard = age[i] <= 30 && purpose[i] === 0;
    correct[i] = rng() < (hard ? 0.2 : 0.9) ? 1 : 0;
  }
  age[7] = NaN;
  correct[3] = -1;
  return {
    table: {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'Noise', values: noise, stats },
        { kind: 'numeric', name: 'Age', values: age, stats },
        { kind: 'categorical', name: 'Purpose', codes: purpose, categories: ['car', 'tv', 'education'], stats },
        { kind: 'categorical', name: 'Class', codes: new Int32Array(n), categories: ['Good'], stats },
      ],
    },
    correct,
  };
}

function checkConsistent(tree: ErrorTree, errors: Float64Array) {
  for (const node of tree.nodes) {
    const rows = nodeRows(tree, node.id);
    expect(rows.length).toBe(node.n);
    let sum = 0;
    for (const r of rows) sum += errors[r];
    expect(node.errorSum).toBeCloseTo(sum, 9);
    for (let k = 1; k < rows.length; k++) expect(rows[k]).toBeGreaterThan(rows[k - 1]);
    if (node.children.length) {
      const [l, r] = node.children.map((c) => tree.nodes[c]);
      expect(l.n + r.n).toBe(node.n);
      expect(l.errorSum + r.errorSum).toBeCloseTo(node.errorSum, 9);
      expect([l.parent, r.parent, l.depth]).toEqual([node.id, node.id, node.depth + 1]);
    }
  }
}

describe('error tree', () => {
  test('finds the planted region, counts add up, rows are retrievable', () => {
    const { table, correct } = synthetic();
    const errors = misclassified(correct);
    const tree = fitErrorTree(table, errors, ['Noise', 'Age', 'Purpose'], { minLeaf: 20 });
    expect(tree.kind).toBe('misclassified');
    expect(tree.nodes[0].n).toBe(399);
    expect(tree.nodes[0].split?.feature).toMatch(/Age|Purpose/);
    checkConsistent(tree, errors.values);
    const worst = worstLeaves(tree)[0];
    expect(worst.path.join(' & ')).toMatch(/Purpose = car/);
    expect(worst.path.join(' & ')).toMatch(/Age ≤ (29|30)(\.5)?/);
    expect(worst.meanError).toBeGreaterThan(0.6);
    for (const node of tree.nodes) {
      expect(node.depth).toBeLessThanOrEqual(3);
      if (node.children.length === 0) expect(node.n).toBeGreaterThanOrEqual(20);
    }
    // A missing Age (row 7) went to the side the split chose, and the text says so.
    const ageSplit = tree.nodes.find((n) => n.split?.kind === 'numeric' && n.split.feature === 'Age' && nodeRows(tree, n.id).includes(7));
    if (ageSplit) {
      const side = ageSplit.split!.missing === 'left' ? 0 : 1;
      const child = tree.nodes[ageSplit.children[side]];
      expect(nodeRows(tree, child.id)).toContain(7);
      expect(child.condition).toMatch(/or missing$/);
    }
    expect(() => nodeRows(tree, 999)).toThrow();
  });

  test('deterministic, and honours maxDepth / minLeaf', () => {
    const { table, correct } = synthetic();
    const a = fitErrorTree(table, misclassified(correct), ['Noise', 'Age', 'Purpose']);
    const b = fitErrorTree(table, misclassified(correct), ['Noise', 'Age', 'Purpose']);
    expect(a).toEqual(b);
    const shallow = fitErrorTree(table, misclassified(correct), ['Noise', 'Age', 'Purpose'], { maxDepth: 1, minLeaf: 150 });
    expect(shallow.nodes.length).toBe(3);
    expect(Math.min(shallow.nodes[1].n, shallow.nodes[2].n)).toBeGreaterThanOrEqual(150);
  });

  test('hand-checked split: the cut that separates the errors best, with a round threshold', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const t: Table = { nRows: 8, columns: [{ kind: 'numeric', name: 'x', values: x, stats }] };
    const tree = fitErrorTree(t, misclassified(Int8Array.from([0, 0, 0, 1, 1, 1, 1, 1])), ['x'], { minLeaf: 2 });
    expect(tree.nodes[0].split).toMatchObject({ kind: 'numeric', feature: 'x', threshold: 3.5 });
    expect(tree.nodes.slice(1).map((n) => [n.condition, n.n, n.meanError])).toEqual([
      ['x ≤ 3.5', 3, 1],
      ['x > 3.5', 5, 0],
    ]);
    expect(Array.from(nodeRows(tree, 1))).toEqual([0, 1, 2]);
  });

  test('categorical: one category against the rest; regression errors; degenerate inputs', () => {
    const codes = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, -1, -1]);
    const t: Table = { nRows: 10, columns: [{ kind: 'categorical', name: 'P', codes, categories: ['a', 'b', 'c'], stats }] };
    const resid = Float64Array.from([5, 6, 5, 0, 1, 0, 1, 0, 0, 1]);
    const tree = fitErrorTree(t, absoluteResiduals(resid), ['P'], { minLeaf: 2, maxDepth: 1 });
    expect(tree.kind).toBe('absolute error');
    expect(tree.nodes.slice(1).map((n) => n.condition)).toEqual(['P = a', 'P ≠ a or missing']);
    expect(tree.nodes[1].meanError).toBeCloseTo(16 / 3, 12);
    // No error at all: a root and nothing else.
    const none = fitErrorTree(t, misclassified(new Int8Array(10).fill(1)), ['P'], { minLeaf: 2 });
    expect(none.nodes.length).toBe(1);
    expect(none.nodes[0].meanError).toBe(0);
    // No judged rows.
    const empty = fitErrorTree(t, misclassified(new Int8Array(10).fill(-1)), ['P']);
    expect([empty.nodes.length, empty.nodes[0].n, empty.nodes[0].meanError]).toEqual([1, 0, 0]);
    expect(() => fitErrorTree(t, misclassified(new Int8Array(10)), ['Q'])).toThrow(/Q/);
  });
});

describe('error heatmap', () => {
  test('quantile bins x categories with (other) and (missing); per-cell counts and rates', () => {
    const n = 100;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    x[99] = NaN;
    const codes = Int32Array.from({ length: n }, (_, i) => i % 13);
    const categories = Array.from({ length: 13 }, (_, k) => `c${k}`);
    const t: Table = {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'x', values: x, stats },
        { kind: 'categorical', name: 'k', codes, categories, stats },
      ],
    };
    const correct = Int8Array.from({ length: n }, (_, i) => (i < 20 ? 0 : 1));
    const h = errorHeatmap(t, misclassified(correct), 'x', 'k');
    expect(h.x.labels).toEqual(['[0, 19.6)', '[19.6, 39.2)', '[39.2, 58.8)', '[58.8, 78.4)', '[78.4, 98]', '(missing)']);
    expect(h.x.edges).toHaveLength(6);
    // 13 categories: the 10 most frequent (ties in code order), then '(other)'; no missing cells.
    expect(h.y.labels.length).toBe(11);
    expect(h.y.labels.slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
    expect(h.y.labels[10]).toBe('(other)');
    expect(h.y.labels[9]).toBe('c9');
    const total = h.count.reduce((a, b) => a + b, 0);
    expect(total).toBe(100);
    // c0 rows in x bin 0: rows 0 and 13, both wrong.
    expect(h.count[0 * 6 + 0]).toBe(2);
    expect(h.meanError[0].value).toBe(1);
    // Empty cell: a reason, not NaN.
    expect(h.meanError[10 * 6 + 5]).toEqual({ value: null, reason: 'no rows' });
    expect(JSON.stringify(h.meanError)).not.toContain('NaN');
  });

  test('ties collapse quantile bins; regression uses mean absolute error', () => {
    const v = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 2, 3, 1]);
    const t: Table = { nRows: 10, columns: [{ kind: 'numeric', name: 'v', values: v, stats }] };
    const h = errorHeatmap(t, absoluteResiduals(Float64Array.from([1, -1, 1, -1, 1, -1, 1, -4, 6, NaN])), 'v', 'v');
    expect(h.kind).toBe('absolute error');
    expect(h.x.edges![0]).toBe(1);
    expect(h.x.labels.length).toBe(h.x.edges!.length - 1);
    expect(h.count.reduce((a, b) => a + b, 0)).toBe(9);
    const constant: Table = { nRows: 3, columns: [{ kind: 'numeric', name: 'c', values: Float64Array.from([4, 4, 4]), stats }] };
    const hc = errorHeatmap(constant, absoluteResiduals([1, 2, 3]), 'c', 'c');
    expect(hc.x.labels).toEqual(['[4, 4]']);
    expect(hc.meanError[0].value).toBe(2);
  });
});

describe('scale', () => {
  test('100k rows x 20 features: tree and heatmap (timed, not asserted)', () => {
    const n = 100_000;
    const rng = createRng(4);
    const columns: Table['columns'] = [];
    for (let f = 0; f < 10; f++) columns.push({ kind: 'numeric', name: `x${f}`, values: Float64Array.from({ length: n }, () => Math.round(rng() * 1000) / 10), stats });
    for (let f = 0; f < 10; f++) columns.push({ kind: 'categorical', name: `c${f}`, codes: Int32Array.from({ length: n }, () => Math.floor(rng() * 8)), categories: Array.from({ length: 8 }, (_, k) => `k${k}`), stats });
    const table: Table = { nRows: n, columns };
    const x0 = (columns[0] as { values: Float64Array }).values;
    const correct = Int8Array.from({ length: n }, (_, i) => (rng() < (x0[i] < 20 ? 0.5 : 0.9) ? 1 : 0));
    const t0 = performance.now();
    const tree = fitErrorTree(table, misclassified(correct), columns.map((c) => c.name));
    const t1 = performance.now();
    errorHeatmap(table, misclassified(correct), 'x0', 'c0');
    const t2 = performance.now();
    console.log(`[quality] 100k x 20: error tree ${(t1 - t0).toFixed(0)} ms (${tree.nodes.length} nodes), heatmap ${(t2 - t1).toFixed(0)} ms`);
    expect(tree.nodes[0].split?.feature).toBe('x0');
  });
});
