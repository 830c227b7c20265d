/**
 * The quality view in real Chromium: moving the threshold changes the confusion matrix, clicking an
 * error-tree node filters the predictions table, and the report holds the figures.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSample, openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
const samples = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { id: string }[];
let h: Harness;

const cells = async () =>
  Promise.all(['0-0', '0-1', '1-0', '1-1'].map(async (c) => Number((await h.page.locator(`[data-testid="q-confusion"] td[data-cell="${c}"] strong`).innerText()).replace(/\D/g, ''))));

beforeAll(async () => {
  h = await openApp(baseUrl);
  await loadSample(h, samples[0].id);
  await h.page.getByTestId('tab-quality').click();
});
afterAll(async () => {
  await h?.close();
});

describe('quality view', () => {
  test('headline metrics with intervals, no NaN anywhere', async () => {
    const auc = Number(await h.page.getByTestId('q-auc').innerText());
    expect(auc).toBeGreaterThan(0.6);
    expect(auc).toBeLessThanOrEqual(1);
    expect(await h.page.getByTestId('quality-view').innerText()).not.toMatch(/NaN/);
  });

  test('moving the threshold changes the confusion matrix', async () => {
    const slider = h.page.getByTestId('q-threshold-slider');
    await slider.fill('0.2');
    const low = await cells();
    await slider.fill('0.8');
    const high = await cells();
    // Same rows, different split: predicted-positive (column 1) shrinks as the threshold rises.
    expect(low.reduce((a, b) => a + b)).toBe(high.reduce((a, b) => a + b));
    expect(high[1] + high[3]).toBeLessThan(low[1] + low[3]);
    expect(await h.page.getByTestId('q-threshold').innerText()).toBe('0.800');
    await h.page.getByTestId('q-value-opt').click();
    expect(Number(await h.page.getByTestId('q-ev').innerText())).not.toBeNaN();
  });

  test('clicking an error-tree node filters the predictions table', async () => {
    const node = h.page.locator('[data-testid="error-tree"] [role="button"]').nth(1);
    await node.click();
    await h.page.getByTestId('q-show-rows').click();
    const subset = h.page.getByTestId('row-subset');
    await subset.waitFor();
    const count = await h.page.getByTestId('row-count').innerText();
    const [shown, total] = count.split(' of ').map((t) => Number(t.replace(/\D/g, '')));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(total);
    const expected = await h.page.evaluate(() => (window as unknown as { loupe: { rowSubset: { rows: Uint32Array } } }).loupe.rowSubset.rows.length);
    expect(shown).toBe(expected);
    await h.page.getByTestId('tab-quality').click();
  });

  test('a slice is compared with the rest', async () => {
    await h.page.getByTestId('q-slice-column').selectOption('Age');
    await h.page.getByTestId('q-slice-max').fill('25');
    await h.page.getByTestId('q-slice-add').click();
    const table = await h.page.getByTestId('q-slice-table').innerText();
    expect(table).toMatch(/slice \(\d+ rows\)/);
    expect(table).toMatch(/accuracy/);
  });

  test('the report holds the quality figures', async () => {
    const [d] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-report').click()]);
    const r = JSON.parse(readFileSync(await d.path(), 'utf8'));
    const shown = Number(await h.page.getByTestId('q-auc').innerText());
    expect(r.quality.binary.roc.auc.value).toBeCloseTo(shown, 3);
    expect(r.quality.binary.intervals.intervals.auc.lo).toBeLessThanOrEqual(r.quality.binary.roc.auc.value);
    expect(r.quality.errorTree.nodes.length).toBeGreaterThan(1);
    expect(r.quality.slice.filters[0].column).toBe('Age');
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
