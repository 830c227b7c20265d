/**
 * Colour-vision safety of the chart colours, checked against simulated dichromacy (Machado, Oliveira
 * & Fernandes 2009, severity 1, applied in linear RGB) rather than trusted by name:
 * - PALETTE is the Okabe–Ito set (values from Okabe & Ito, "Color Universal Design", 2008);
 * - the sequential ramps (errorColorScale for the error heatmap and tree, d3's viridis for the 2-D
 *   PDP) change lightness monotonically for normal vision and for protan, deutan and tritan viewers,
 *   so order is readable from lightness alone, and their ends stay at least 3:1 apart.
 */
import { describe, expect, test } from 'vitest';
import { interpolateViridis, rgb } from 'd3';
import { LINE_PALETTE, PALETTE } from '../../../src/lib/charts/layout';
import { errorColorScale } from '../../../src/lib/charts/heatmap-layout';

type M = [number, number, number][];
const IDENTITY: M = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
const PROTAN: M = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];
const DEUTAN: M = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]];
const TRITAN: M = [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]];
const VISIONS: [string, M][] = [['normal', IDENTITY], ['protan', PROTAN], ['deutan', DEUTAN], ['tritan', TRITAN]];

const toLinear = (u: number) => {
  const s = u / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** Relative luminance (WCAG) of `colour` as seen through the simulation matrix `m`. */
function luminance(colour: string, m: M): number {
  const c = rgb(colour);
  const lin = [toLinear(c.r), toLinear(c.g), toLinear(c.b)];
  const [r, g, b] = m.map((row) => Math.min(1, Math.max(0, row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2])));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

function checkRamp(name: string, colourAt: (t: number) => string) {
  const ts = Array.from({ length: 41 }, (_, i) => i / 40);
  for (const [vision, m] of VISIONS) {
    const ys = ts.map((t) => luminance(colourAt(t), m));
    const sign = Math.sign(ys[ys.length - 1] - ys[0]);
    const steps = ys.slice(1).map((y, i) => sign * (y - ys[i]));
    // Strictly monotonic lightness: no two levels of the ramp collapse to the same grey.
    expect(Math.min(...steps), `${name}, ${vision}: lightness not monotonic`).toBeGreaterThan(0);
    expect(contrast(ys[0], ys[ys.length - 1]), `${name}, ${vision}: ends too close`).toBeGreaterThanOrEqual(3);
  }
}

describe('colour-vision safety', () => {
  test('PALETTE is the Okabe–Ito set', () => {
    const okabeIto = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];
    expect([...PALETTE].map((c) => c.toUpperCase()).sort()).toEqual([...okabeIto].sort());
  });

  test('LINE_PALETTE: every colour reaches 2:1 against both panels (white and the dark theme #1a1f27)', () => {
    const I: M = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const white = luminance('#ffffff', I), dark = luminance('#1a1f27', I);
    for (const c of LINE_PALETTE) {
      expect(contrast(luminance(c, I), white), c).toBeGreaterThanOrEqual(2);
      expect(contrast(luminance(c, I), dark), c).toBeGreaterThanOrEqual(2);
    }
    // The two left out are the ones that fail.
    expect(contrast(luminance('#F0E442', I), white)).toBeLessThan(2);
    expect(contrast(luminance('#000000', I), dark)).toBeLessThan(2);
  });

  test('the first six palette colours stay apart for every dichromat (lightness or hue)', () => {
    // Distance in simulated linear RGB; Okabe–Ito was designed so these remain distinguishable.
    const sim = (c: string, m: M) => {
      const x = rgb(c);
      const lin = [toLinear(x.r), toLinear(x.g), toLinear(x.b)];
      return m.map((row) => Math.min(1, Math.max(0, row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2])));
    };
    for (const [vision, m] of VISIONS) {
      const cs = PALETTE.slice(0, 6).map((c) => sim(c, m));
      let min = Infinity;
      for (let i = 0; i < cs.length; i++) for (let j = i + 1; j < cs.length; j++) min = Math.min(min, Math.hypot(...cs[i].map((v, k) => v - cs[j][k])));
      expect(min, vision).toBeGreaterThan(0.05);
    }
  });

  test('the error ramp (heatmap, error tree) reads by lightness for every vision', () => {
    const scale = errorColorScale(1);
    checkRamp('errorColorScale', (t) => scale.color(t));
  });

  test('viridis (2-D partial dependence) reads by lightness for every vision', () => {
    checkRamp('viridis', interpolateViridis);
  });

  test('a ramp that is not safe fails the check (the check can fail)', () => {
    // Red to green at equal lightness: the classic deutan trap.
    expect(() => checkRamp('red-green', (t) => rgb(200 * (1 - t), 120 * t + 40, 40).formatHex())).toThrow();
  });
});
