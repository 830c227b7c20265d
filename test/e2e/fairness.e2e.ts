/**
 * The fairness view in real Chromium on the credit sample: choose Sex, see the groups and a
 * disparity; add Age with intersections; apply equal opportunity and see per-group thresholds and
 * the accuracy it costs; the proxies table names MaritalStatus; the report holds the figures.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSample, openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
let h: Harness;

beforeAll(async () => {
  h = await openApp(baseUrl);
  await loadSample(h, 'credit-gbt');
  await h.page.getByTestId('tab-fairness').click();
  await h.page.getByTestId('fairness-view').waitFor();
});
afterAll(async () => {
  await h?.close();
});

const checked = (name: string) => h.page.getByTestId(`fair-col-${name}`);

describe('fairness view', () => {
  test('choosing Sex shows its groups and a disparity', async () => {
    // The sample preselects its suggested columns; keep Sex alone.
    for (const c of ['Age', 'ForeignWorker']) if (await checked(c).isChecked()) await checked(c).uncheck();
    if (!(await checked('Sex').isChecked())) await checked('Sex').check();
    const rows = h.page.locator('[data-testid="fair-groups"] [data-testid="fair-group-row"]');
    await expect.poll(() => rows.count()).toBe(2);
    const text = await h.page.getByTestId('fair-groups').innerText();
    expect(text).toMatch(/Sex=female/);
    expect(text).toMatch(/Sex=male/);
    const ratio = Number(await h.page.getByTestId('fair-worst-demographicParityRatio').innerText());
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(1);
    await h.page.getByTestId('fair-disparity-chart').waitFor();
    expect(await h.page.getByTestId('fairness-view').innerText()).not.toMatch(/NaN/);
  });

  test('intersections with Age give Sex × Age groups', async () => {
    await checked('Age').check();
    await h.page.getByTestId('fair-intersections').check();
    const rows = h.page.locator('[data-testid="fair-groups"] [data-testid="fair-group-row"]');
    await expect.poll(() => rows.count()).toBeGreaterThan(4);
    expect(await h.page.getByTestId('fair-groups').innerText()).toMatch(/Sex=female × Age∈/);
  });

  test('equal opportunity: per-group thresholds and an accuracy cost', async () => {
    await h.page.getByTestId('fair-apply-equal-opportunity').click();
    const applied = h.page.getByTestId('fair-applied');
    await applied.waitFor();
    const rules = await applied.locator('[data-testid="fair-rule"]').allInnerTexts();
    expect(rules.length).toBeGreaterThan(4);
    expect(new Set(rules).size).toBeGreaterThan(1);
    for (const r of rules) expect(r).toMatch(/^\d\.\d{3}(\/\d\.\d{3})*( with p=[\d./]+)?$/);
    const cost = await h.page.getByTestId('fair-applied-cost').innerText();
    expect(cost).toMatch(/^[+−]\d\.\d{3}$/);
    expect(await h.page.getByTestId('fair-cost-equal-opportunity').innerText()).toBe(cost);
    await h.page.getByTestId('fair-tradeoff').waitFor();
  });

  test('the proxies table names MaritalStatus as a proxy of Sex', async () => {
    await h.page.getByTestId('fair-focus').selectOption({ index: 0 });
    const table = h.page.getByTestId('fair-proxies');
    await expect.poll(async () => (await table.locator('tbody tr').first().innerText()).split('\t')[0]).toBe('MaritalStatus');
    expect(await h.page.getByTestId('fair-proxy-verdict').innerText()).toMatch(/MaritalStatus/);
  });

  test('the report holds the fairness figures; nothing left the origin', async () => {
    const [d] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-report').click()]);
    const r = JSON.parse(readFileSync(await d.path(), 'utf8'));
    const f = r.fairness;
    expect(f.settings.sensitiveColumns.map((s: { column: string }) => s.column)).toEqual(['Sex', 'Age']);
    expect(f.settings.intersections).toBe(true);
    expect(f.settings.favorable).toBe('negative');
    expect(f.groups.groups.length).toBe(2);
    expect(f.groups.groups[0].intervals.tpr.lo).not.toBeNull();
    expect(f.disparities.measures.demographicParityRatio.worst.value.value).toBeGreaterThan(0);
    expect(f.strategies.map((s: { strategy: string }) => s.strategy)).toContain('equal-opportunity');
    expect(f.tradeoff.points.length).toBeGreaterThan(1);
    expect(f.proxies.features[0].column).toBe('MaritalStatus');
    expect(f.partitions.length).toBe(3);
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
