import { describe, expect, it } from 'vitest';
import { distributionLayout } from '../../../src/lib/charts/distribution-layout';

const box = { x0: 0, x1: 100, y0: 100, y1: 0 };

describe('distributionLayout', () => {
  it('splits each numeric bin into a reference and a current bar', () => {
    const l = distributionLayout([{ label: '0-10', x0: 0, x1: 10, ref: 0.5, cur: 0.25 }, { label: '10-20', x0: 10, x1: 20, ref: 0.5, cur: 0.75 }], box);
    expect(l.bars).toHaveLength(4);
    expect(l.bars.map((b) => b.side)).toEqual(['ref', 'cur', 'ref', 'cur']);
    expect(l.bars[0].x).toBeCloseTo(0);
    expect(l.bars[1].x).toBeGreaterThan(l.bars[0].x);
    expect(l.bars[3].height).toBeGreaterThan(l.bars[2].height);
    expect(l.x).not.toBeNull();
  });
  it('puts categories in equal bands with their labels', () => {
    const l = distributionLayout([{ label: 'a', x0: null, x1: null, ref: 1, cur: 0 }, { label: 'b', x0: null, x1: null, ref: 0, cur: 1, unseen: true }], box);
    expect(l.bands.map((b) => b.label)).toEqual(['a', 'b']);
    expect(l.bands[0].pos).toBeCloseTo(25);
    expect(l.bars[1].height).toBe(0);
    expect(l.bars[3].unseen).toBe(true);
    expect(l.x).toBeNull();
  });
});
