/**
 * Error-tree layout: d3's tidy tree placed top-down in a fixed frame, with circle sizes by row
 * count, fills by error, link paths and label text fitted to the room each node has. No DOM.
 */
import { hierarchy, linkVertical, scaleSqrt, tree as tidyTree } from 'd3';
import type { ErrorTree, ErrorTreeNode } from '../analysis/quality/error-tree';
import { CHAR_WIDTH, colorLegend, errorColorScale, errorName, formatCount, formatError, formatRows, wrapText, type ColorLegend, type ColorScale } from './heatmap-layout';

export interface TreeNodeBox {
  id: number;
  depth: number;
  /** Circle centre and radius (area ∝ rows). */
  x: number;
  y: number;
  r: number;
  fill: string;
  /** Condition text above the circle, at most two lines, cut with '…' when it does not fit. */
  label: string[];
  /** Baseline of each label line (clear of a selection ring up to r + 6). */
  labelY: number[];
  /** Error and rows under the circle: '31% of 120', 'MAE 2.31 · 120 rows'. */
  stat: string;
  /** Baseline of the stat line. */
  statY: number;
  /** Font size for this node's texts, px. */
  fontSize: number;
  /** Full wording for a tooltip and screen readers. */
  title: string;
  node: ErrorTreeNode;
}

export interface TreeLinkPath {
  source: number;
  target: number;
  /** SVG path from under the parent's text to above the child's label. */
  d: string;
  /** Stroke width, px: 1 to 6 by the child's share of all rows. */
  width: number;
}

export interface ErrorTreeLayout {
  width: number;
  height: number;
  nodes: TreeNodeBox[];
  links: TreeLinkPath[];
  color: ColorScale;
  legend: ColorLegend;
}

export interface TreeLayoutOptions {
  /** Smallest width, px; default 720. A tree with many leaves gets wider (`minSlot` px per leaf). */
  width?: number;
  /** Smallest height, px; default 360. A deep tree gets taller so circles keep `minRadius`. */
  height?: number;
  /** Narrowest horizontal room per node, px; default 64. */
  minSlot?: number;
  /** Largest circle (the root), px; default 22. */
  maxRadius?: number;
  /** Smallest circle, px; default 4. */
  minRadius?: number;
}

const LINE = 12;
/** Circle edge to the last label baseline, and to the stat baseline. */
const LABEL_GAP = 8;
const STAT_GAP = 15;
/** Room a label takes above the circle beyond its lines, and the stat below it (with descenders). */
const ABOVE = 6;
const STAT = 19;
const PAD = 6;

/** '31% of 120' or 'MAE 2.31 · 120 rows'. */
export function nodeStat(tree: ErrorTree, node: ErrorTreeNode): string {
  if (tree.kind === 'absolute error') return `MAE ${formatError(tree.kind, node.meanError)} · ${formatRows(node.n)}`;
  return `${formatError(tree.kind, node.meanError)} of ${formatCount(node.n)}`;
}

/** A node in words: 'Age ≤ 25.5 and Purpose = car: 31% wrong on 120 rows'. */
export function nodeTitle(tree: ErrorTree, node: ErrorTreeNode): string {
  const where = node.path.length ? node.path.join(' and ') : 'All rows';
  const err = formatError(tree.kind, node.meanError);
  return tree.kind === 'absolute error'
    ? `${where}: mean absolute error ${err} on ${formatRows(node.n)}`
    : `${where}: ${err} wrong on ${formatRows(node.n)}`;
}

/** Positions every node of `tree` top-down (root at the top, one row per depth). */
export function layoutErrorTree(tree: ErrorTree, opts: TreeLayoutOptions = {}): ErrorTreeLayout {
  const minSlot = opts.minSlot ?? 64;
  const minR = opts.minRadius ?? 4;
  const root = hierarchy(tree.nodes[0], (n) => n.children.map((id) => tree.nodes[id]));
  // Unit spacing between neighbours at a depth, then scaled to pixels, so every node has ≥ 1 slot.
  const placed = tidyTree<ErrorTreeNode>().nodeSize([1, 1]).separation(() => 1)(root);
  const all = placed.descendants();
  let minX = Infinity, maxX = -Infinity;
  for (const d of all) {
    minX = Math.min(minX, d.x);
    maxX = Math.max(maxX, d.x);
  }
  const slots = maxX - minX + 1;
  const width = Math.max(opts.width ?? 720, Math.ceil(slots * minSlot));
  const unit = width / slots;
  const px = (x: number) => (x - minX + 0.5) * unit;

  // Vertically: root label (1 line) + R + D levels of dy + R + stat; each level needs 2R, a two-line
  // label, the stat line and a short link.
  const D = placed.height;
  const band = 2 * LINE + ABOVE + STAT + 8;
  const fixed = PAD + LINE + ABOVE + STAT + PAD;
  let height = opts.height ?? 360;
  let R = Math.min(opts.maxRadius ?? 22, unit / 2 - 4);
  R = Math.max(minR, R);
  if (D > 0) {
    const floor = Math.min(R, Math.max(minR, 8));
    const rFit = ((height - fixed) / D - band) / (2 * (1 + 1 / D));
    if (rFit >= floor) R = Math.min(R, rFit);
    else {
      R = floor;
      height = Math.ceil(fixed + D * (band + 2 * R * (1 + 1 / D)));
    }
  }
  const y0 = PAD + LINE + ABOVE + R;
  const dy = D > 0 ? (height - fixed - 2 * R) / D : 0;
  const py = (depth: number) => (D > 0 ? y0 + depth * dy : height / 2);

  const rootN = Math.max(1, tree.nodes[0].n);
  const rScale = scaleSqrt().domain([0, rootN]).range([0, R]);
  let max = 0;
  for (const n of tree.nodes) if (n.meanError > max) max = n.meanError;
  const color = errorColorScale(max);

  // Room for text: half the gap to each same-depth neighbour, or the distance to the frame edge.
  const byDepth = new Map<number, number[]>();
  for (const d of all) {
    const xs = byDepth.get(d.depth) ?? [];
    xs.push(px(d.x));
    byDepth.set(d.depth, xs);
  }
  for (const xs of byDepth.values()) xs.sort((a, b) => a - b);
  const room = (depth: number, x: number) => {
    const xs = byDepth.get(depth)!;
    const i = xs.indexOf(x);
    const left = i > 0 ? x - xs[i - 1] : 2 * x;
    const right = i < xs.length - 1 ? xs[i + 1] - x : 2 * (width - x);
    return Math.min(left, right) - 10;
  };

  const nodes: TreeNodeBox[] = all.map((d) => {
    const node = d.data;
    const x = px(d.x), y = py(d.depth);
    const space = Math.min(room(d.depth, x), 280);
    const stat = nodeStat(tree, node);
    let fontSize = Math.max(8.5, 11 - 0.5 * d.depth);
    fontSize = Math.max(7, Math.min(fontSize, space / (stat.length * CHAR_WIDTH)));
    const text = node.condition ?? 'all rows';
    const label = wrapText(text, space / (fontSize * CHAR_WIDTH), d.depth === 0 ? 1 : 2).lines;
    const r = Math.max(minR, rScale(node.n));
    const labelY = label.map((_, i) => y - r - LABEL_GAP - (label.length - 1 - i) * LINE);
    return { id: node.id, depth: d.depth, x, y, r, fill: color.color(node.meanError), label, labelY, stat, statY: y + r + STAT_GAP, fontSize, title: nodeTitle(tree, node), node };
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const link = linkVertical();
  const links: TreeLinkPath[] = [];
  for (const child of nodes) {
    if (child.node.parent < 0) continue;
    const parent = byId.get(child.node.parent)!;
    const from: [number, number] = [parent.x, parent.y + parent.r + STAT];
    const to: [number, number] = [child.x, child.y - child.r - child.label.length * LINE - ABOVE];
    links.push({ source: parent.id, target: child.id, d: link({ source: from, target: to }) ?? '', width: 1 + (5 * child.node.n) / rootN });
  }
  // The legend goes in the top corner away from the root, whose label it could otherwise cover.
  const legendX = nodes[0].x < width / 2 ? width - 8 - 130 : 8;
  return { width, height, nodes, links, color, legend: colorLegend(color, tree.kind, legendX, 16, 130) };
}

/** One sentence on the tree: the overall error and the worst leaf, or why there is nothing to say. */
export function treeSummary(tree: ErrorTree): string {
  const root = tree.nodes[0];
  if (!root || root.n === 0) return 'No rows with a known error, so there is no tree to show.';
  const name = errorName(tree.kind);
  const overall = `Overall ${name} ${formatError(tree.kind, root.meanError)} on ${formatRows(root.n)}.`;
  const leaves = tree.nodes.filter((n) => n.children.length === 0);
  if (leaves.length === 1) return `${overall} No split lowers the error spread enough, so the tree is the root alone.`;
  const worst = leaves.reduce((a, b) => (b.meanError > a.meanError || (b.meanError === a.meanError && b.n > a.n) ? b : a));
  return `${overall} Worst leaf: ${nodeTitle(tree, worst)}. Circle area shows rows, colour the ${name}.`;
}
