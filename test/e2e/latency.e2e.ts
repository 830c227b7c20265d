/**
 * The latency lab in real Chromium: a short protocol on a sample model, both wasm backends, a batch
 * sweep, ordered percentiles on screen and in the report, and chart export. Timings are never asserted.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSample, openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
const samples = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { id: string; model: string }[];
let h: Harness;

beforeAll(async () => {
  h = await openApp(baseUrl);
  await loadSample(h, samples[0].id);
});
afterAll(async () => {
  await h?.close();
});

const ms = (text: string) => {
  const m = /([\d.]+)\s*(µs|ms|s)/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'µs' ? 1e-3 : m[2] === 's' ? 1e3 : 1);
};

describe('latency lab', () => {
  test('a short run shows ordered percentiles for two backends and a batch sweep', async () => {
    await h.page.getByTestId('tab-latency').click();
    await h.page.getByTestId('lat-runs').fill('40');
    await h.page.getByTestId('lat-sweep-max').fill('64');
    await h.page.getByTestId('lat-sweep-runs').fill('5');
    await h.page.getByTestId('lat-backend-webgpu').uncheck();
    await h.page.getByTestId('lat-run').click();
    await h.page.getByTestId('lat-run').waitFor({ timeout: 120_000 });
    for (const id of ['wasm-1', 'wasm-n']) {
      const row = h.page.locator(`[data-testid="lat-table"] tr[data-backend="${id}"]`);
      const [p50, p95, p99] = await Promise.all(['p50', 'p95', 'p99'].map((k) => row.locator(`td[data-stat="${k}"]`).innerText()));
      expect(ms(p50)).toBeGreaterThan(0);
      expect(ms(p50)).toBeLessThanOrEqual(ms(p95));
      expect(ms(p95)).toBeLessThanOrEqual(ms(p99));
      await h.page.getByTestId(`lat-sweep-${id}`).waitFor();
      expect(await h.page.getByTestId(`lat-best-${id}`).innerText()).toMatch(/batch/i);
    }
    expect(await h.page.getByTestId('lat-longtasks').innerText()).toMatch(/^\d+$/);
  });

  test('a chart exports as SVG', async () => {
    const [d] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('lat-hist-wasm-1-svg').click()]);
    expect(d.suggestedFilename()).toMatch(/^loupe-latency-histogram.*\.svg$/);
    const svg = readFileSync(await d.path(), 'utf8');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('<rect');
  });

  test('the report JSON holds every figure', async () => {
    const [d] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-report').click()]);
    const report = JSON.parse(readFileSync(await d.path(), 'utf8'));
    const lat = report.latency;
    expect(lat.settings.runs).toBe(40);
    expect(lat.environment.crossOriginIsolated).toBe(true);
    const b = lat.figures.backends.find((x: { id: string }) => x.id === 'wasm-1');
    expect(b.worker.n).toBe(40);
    expect(b.worker.p50).toBeLessThanOrEqual(b.worker.p95);
    expect(b.worker.p95).toBeLessThanOrEqual(b.worker.p99);
    expect(b.intervals.p95.lo).toBeLessThanOrEqual(b.intervals.p95.hi);
    expect(b.cold.sessionMs).toBeGreaterThan(0);
    expect(b.sweep.map((r: { batch: number }) => r.batch)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(Array.isArray(b.ecdf.x)).toBe(true);
    expect(typeof lat.figures.longTasks.count).toBe('number');
    expect(report.environment.ortVersion).toMatch(/^\d+\.\d+/);
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
