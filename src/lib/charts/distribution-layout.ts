/**
 * Layout of an overlaid distribution (reference vs current on shared bins): numeric bins placed on a
 * linear x axis, categories as bands with two bars side by side. Pure, so the geometry is testable.
 */
import { makeScale, type Scale } from './layout';

export interface SharedBin {
  label: string;
  x0: number | null;
  x1: number | null;
  ref: number;
  cur: number;
  unseen?: boolean;
}

export interface DistributionBar {
  side: 'ref' | 'cur';
  x: number;
  y: number;
  width: number;
  height: number;
  share: number;
  label: string;
  unseen: boolean;
}

export interface DistributionLayout {
  bars: DistributionBar[];
  y: Scale;
  /** Numeric: the x scale; categorical: null (labels below each band). */
  x: Scale | null;
  /** Categorical: the centre of each band with its label. */
  bands: { pos: number; label: string }[];
}

/**
 * Bars for both sides. Numeric bins (x0/x1 set): each bin split into a reference half (left) and a
 * current half (right). Categories: equal bands, two bars each. Heights are shares of rows.
 */
export function distributionLayout(bins: readonly SharedBin[], box: { x0: number; x1: number; y0: number; y1: number }): DistributionLayout {
  const top = Math.max(0.01, ...bins.map((b) => Math.max(b.ref, b.cur)));
  const y = makeScale([0, top], [box.y0, box.y1]);
  const base = box.y0;
  const numeric = bins.length > 0 && bins.every((b) => b.x0 !== null && b.x1 !== null);
  const bars: DistributionBar[] = [];
  const bar = (side: 'ref' | 'cur', x: number, width: number, b: SharedBin): DistributionBar => {
    const share = side === 'ref' ? b.ref : b.cur;
    const yTop = y(share);
    return { side, x, y: yTop, width: Math.max(0, width), height: Math.max(0, base - yTop), share, label: b.label, unseen: !!b.unseen };
  };
  if (numeric) {
    const x = makeScale([bins[0].x0!, bins[bins.length - 1].x1!], [box.x0, box.x1], { nice: false });
    for (const b of bins) {
      const l = x(b.x0!), r = x(b.x1!);
      const half = (r - l - 1) / 2;
      bars.push(bar('ref', l, half, b), bar('cur', l + half, half, b));
    }
    return { bars, y, x, bands: [] };
  }
  const band = (box.x1 - box.x0) / Math.max(1, bins.length);
  const inner = band * 0.8;
  const bands = bins.map((b, i) => {
    const l = box.x0 + i * band + (band - inner) / 2;
    bars.push(bar('ref', l, inner / 2, b), bar('cur', l + inner / 2, inner / 2, b));
    return { pos: box.x0 + (i + 0.5) * band, label: b.label };
  });
  return { bars, y, x: null, bands };
}
