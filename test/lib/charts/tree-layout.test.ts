import { describe, expect, test } from 'vitest';
import type { ErrorTree, ErrorTreeNode } from '../../../src/lib/analysis/quality/error-tree';
import { layoutErrorTree, nodeStat, nodeTitle, treeSummary } from '../../../src/lib/charts/tree-layout';

type Spec = [condition: string | null, n: number, errorSum: number, children?: Spec[]];

/** Builds an ErrorTree breadth-first from a nested spec, as fitErrorTree numbers nodes. */
function build(spec: Spec, kind: ErrorTree['kind'] = 'misclassified'): ErrorTree {
  const nodes: ErrorTreeNode[] = [];
  const queue: { s: Spec; parent: number; depth: number; path: string[] }[] = [{ s: spec, parent: -1, depth: 0, path: [] }];
  const kids = new Map<number, Spec[]>();
  while (queue.length) {
    const { s, parent, depth, path } = queue.shift()!;
    const [condition, n, errorSum, children = []] = s;
    const id = nodes.length;
    const p = condition ? [...path, condition] : path;
    nodes.push({ id, depth, parent, condition, path: p, n, errorSum, meanError: n ? errorSum / n : 0, children: [], split: null, rowStart: 0 });
    if (parent >= 0) nodes[parent].children.push(id);
    kids.set(id, children);
    for (const c of children) queue.push({ s: c, parent: id, depth: depth + 1, path: p });
  }
  return { kind, nodes, order: new Uint32Array(0), features: [] };
}

const credit: Spec = [null, 1000, 300, [
  ['Age ≤ 25.5', 190, 80, [
    ['Purpose = education', 64, 31, [['Duration ≤ 12', 30, 10], ['Duration > 12', 34, 21]]],
    ['Purpose ≠ education or missing', 126, 49, [['Amount ≤ 2000', 60, 20], ['Amount > 2000', 66, 29]]],
  ]],
  ['Age > 25.5', 810, 220, [
    ['CheckingAccountStatus = no account', 400, 60],
    ['CheckingAccountStatus ≠ no account', 410, 160, [['Housing = rent', 100, 50], ['Housing ≠ rent', 310, 110]]],
  ]],
]];

describe('error tree layout', () => {
  test('top-down: one row per depth, parents above and between their children, inside the frame', () => {
    const tree = build(credit);
    const l = layoutErrorTree(tree);
    expect(l.width).toBe(720);
    expect(l.height).toBe(360);
    expect(l.nodes).toHaveLength(tree.nodes.length);
    const ys = new Map<number, number>();
    for (const n of l.nodes) {
      if (ys.has(n.depth)) expect(n.y).toBeCloseTo(ys.get(n.depth)!, 9);
      else ys.set(n.depth, n.y);
      expect(n.x - n.r).toBeGreaterThanOrEqual(0);
      expect(n.x + n.r).toBeLessThanOrEqual(l.width);
      expect(n.labelY[0] - 10).toBeGreaterThanOrEqual(0);
      expect(n.statY + 4).toBeLessThanOrEqual(l.height);
      expect(n.labelY.at(-1)!).toBeLessThan(n.y - n.r - 6);
      expect(n.statY - 10).toBeGreaterThan(n.y + n.r + 3);
    }
    const byId = new Map(l.nodes.map((n) => [n.id, n]));
    for (const n of l.nodes) {
      if (!n.node.children.length) continue;
      const [a, b] = n.node.children.map((c) => byId.get(c)!);
      expect(a.labelY[0] - 10).toBeGreaterThan(n.statY + 4);
      expect(a.x).toBeLessThan(n.x);
      expect(b.x).toBeGreaterThan(n.x);
    }
    // Same-depth neighbours' circles never touch.
    for (const d of ys.keys()) {
      const row = l.nodes.filter((n) => n.depth === d).sort((p, q) => p.x - q.x);
      for (let i = 1; i < row.length; i++) expect(row[i].x - row[i].r).toBeGreaterThan(row[i - 1].x + row[i - 1].r);
    }
    expect(l.links).toHaveLength(tree.nodes.length - 1);
    expect(l.links[0].d).toMatch(/^M/);
  });

  test('circle area follows rows, fill follows error, the root reads all rows', () => {
    const tree = build(credit);
    const l = layoutErrorTree(tree);
    const [root, young, old] = l.nodes;
    expect(root.label).toEqual(['all rows']);
    expect(root.stat).toBe('30% of 1,000');
    expect((young.r / root.r) ** 2).toBeCloseTo(190 / 1000, 9);
    expect((old.r / root.r) ** 2).toBeCloseTo(810 / 1000, 9);
    expect(l.color.domain).toEqual([0, 0.65]);
    expect(young.fill).toBe(l.color.color(80 / 190));
    expect(l.links.find((k) => k.target === old.id)!.width).toBeCloseTo(1 + 5 * 0.81, 9);
    expect(l.legend.title).toBe('error rate');
  });

  test('long conditions wrap to two lines and are cut with an ellipsis to the room the node has', () => {
    const l = layoutErrorTree(build(credit));
    const deep = l.nodes.filter((n) => n.depth === 2);
    for (const n of l.nodes) {
      expect(n.label.length).toBeLessThanOrEqual(n.depth === 0 ? 1 : 2);
      expect(n.fontSize).toBeGreaterThanOrEqual(7);
      expect(n.fontSize).toBeLessThanOrEqual(11);
    }
    const checking = deep.find((n) => n.node.condition!.startsWith('CheckingAccountStatus ≠'))!;
    expect(checking.label.join(' ')).not.toBe(checking.node.condition);
    expect(checking.label[0]).toMatch(/^CheckingAccount\w*…$/);
    expect(checking.label[1]).toBe('≠ no account');
    expect(checking.title).toBe('Age > 25.5 and CheckingAccountStatus ≠ no account: 39% wrong on 410 rows');
    expect(deep.find((n) => n.node.condition === 'Purpose = education')!.label.join(' ')).toBe('Purpose = education');
    expect(l.nodes[1].fontSize).toBeGreaterThan(l.nodes.at(-1)!.fontSize);
  });

  test('many leaves widen the frame; a deep tree grows taller rather than shrinking circles away', () => {
    let spec: Spec = ['leaf', 40, 10];
    for (let d = 0; d < 6; d++) spec = [d === 5 ? null : `X${d} ≤ ${d}`, 40 * 2 ** (d + 1), 10 * 2 ** (d + 1), [spec, [`X${d} > ${d}`, 40 * 2 ** d, 10 * 2 ** d]]];
    const tall = layoutErrorTree(build(spec));
    expect(tall.height).toBeGreaterThan(360);
    expect(Math.max(...tall.nodes.map((n) => n.r))).toBeGreaterThanOrEqual(8);

    const wide: Spec = [null, 3200, 800, Array.from({ length: 2 }, (_, a) => [`A${a}`, 1600, 400, Array.from({ length: 2 }, (_, b) => [`B${b}`, 800, 200, Array.from({ length: 2 }, (_, c) => [`C${c}`, 400, 100, Array.from({ length: 2 }, (_, e) => [`E${e}`, 200, 50] as Spec)] as Spec)] as Spec)] as Spec)];
    const w = layoutErrorTree(build(wide));
    expect(w.nodes.filter((n) => n.node.children.length === 0)).toHaveLength(16);
    expect(w.width).toBe(16 * 64);
  });

  test('a root alone sits in the middle; regression trees show mean absolute error', () => {
    const one = layoutErrorTree(build([null, 50, 12.5], 'absolute error'));
    expect(one.nodes).toHaveLength(1);
    expect(one.nodes[0].x).toBeCloseTo(360, 9);
    expect(one.nodes[0].y).toBeCloseTo(180, 9);
    expect(one.links).toEqual([]);
    expect(one.legend.title).toBe('mean absolute error');
    expect(one.nodes[0].stat).toBe('MAE 0.25 · 50 rows');
  });
});

describe('error tree text', () => {
  test('stat, title and summary', () => {
    const tree = build(credit);
    expect(nodeStat(tree, tree.nodes[3])).toBe('48% of 64');
    expect(nodeTitle(tree, tree.nodes[0])).toBe('All rows: 30% wrong on 1,000 rows');
    expect(treeSummary(tree)).toBe(
      'Overall error rate 30% on 1,000 rows. Worst leaf: Age ≤ 25.5 and Purpose = education and Duration > 12: 62% wrong on 34 rows. Circle area shows rows, colour the error rate.',
    );
    const reg = build([null, 10, 25, [['X ≤ 1', 5, 20], ['X > 1', 5, 5]]], 'absolute error');
    expect(treeSummary(reg)).toBe('Overall mean absolute error 2.5 on 10 rows. Worst leaf: X ≤ 1: mean absolute error 4 on 5 rows. Circle area shows rows, colour the mean absolute error.');
    expect(treeSummary(build([null, 10, 2]))).toMatch(/root alone/);
    expect(treeSummary(build([null, 0, 0]))).toMatch(/^No rows/);
  });
});
