/**
 * The data-quality and drift view in real Chromium: the credit sample's data-quality report, a missing-
 * value choice that rescores, the bundled drifted sample ranked with the drifted features on top,
 * prediction drift, metric changes, time windows, and the report's `dataQuality` section.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSample, openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
let h: Harness;

type Loupe = { scoring: { scored: number } | null; currentScoring: { scored: number } | null; job: unknown; data: { preparation?: { strategy: string } } | null };
const idle = () =>
  h.page.waitForFunction(() => {
    const s = (window as unknown as { loupe: Loupe }).loupe;
    return !s.job && !!s.scoring;
  }, undefined, { timeout: 60_000 });

beforeAll(async () => {
  h = await openApp(baseUrl);
  await loadSample(h, 'credit-gbt');
  await h.page.getByTestId('tab-drift').click();
});
afterAll(async () => {
  await h?.close();
});

describe('data quality and drift view', () => {
  test('the data-quality report of the reference', async () => {
    await h.page.getByTestId('dq-profiles').waitFor();
    expect(await h.page.getByTestId('dq-missing-Age').innerText()).toMatch(/^0 \(0%\)/);
    expect(await h.page.getByTestId('dq-row-problems').innerText()).toMatch(/rows have a problem/);
    expect(await h.page.getByTestId('dq-duplicates').innerText()).toMatch(/Duplicate rows: \d+/);
    expect(await h.page.getByTestId('dq-label-hints').innerText()).toMatch(/confident prediction/);
    expect(await h.page.getByTestId('dq-profiles').innerText()).not.toMatch(/NaN/);
  });

  test('median/mode imputation is described and the rows are rescored', async () => {
    await h.page.getByTestId('dq-preparation').selectOption('median-mode');
    await h.page.waitForFunction(() => (window as unknown as { loupe: Loupe }).loupe.data?.preparation?.strategy === 'median-mode', undefined, { timeout: 30_000 });
    await idle();
    expect(await h.page.getByTestId('dq-preparation-description').innerText()).toMatch(/missing values to fill|cells are filled/i);
    expect(await h.page.getByTestId('dq-scored').innerText()).toMatch(/1,000 rows scored/);
  });

  test('the bundled drifted sample ranks the drifted features on top', async () => {
    await h.page.getByTestId('load-drifted').click();
    await h.page.waitForFunction(() => {
      const s = (window as unknown as { loupe: Loupe }).loupe;
      return !s.job && !!s.currentScoring;
    }, undefined, { timeout: 60_000 });
    const table = h.page.getByTestId('drift-table');
    await table.waitFor();
    const names = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-feature')));
    const top = names.slice(0, 6);
    for (const f of ['Age', 'Amount', 'Purpose', 'Duration']) expect(top).toContain(f);
    expect(await table.locator('tbody tr').first().getByTestId('drift-severity').innerText()).toMatch(/major|moderate/);
    expect(await h.page.getByTestId('drift-counts').innerText()).toMatch(/PSI < 0\.1.*0\.25/);
    await h.page.getByTestId('drift-distribution').waitFor();
    await table.locator('tr[data-feature="Purpose"] button').click();
    expect(await h.page.getByTestId('drift-distribution').innerText()).toMatch(/Purpose/);
  });

  test('prediction drift, metric changes and what can be judged', async () => {
    expect(await h.page.getByTestId('prediction-drift').innerText()).toMatch(/P\(Bad\): PSI \d/);
    await h.page.getByTestId('prediction-drift-chart').waitFor();
    const changes = await h.page.getByTestId('metric-changes').innerText();
    expect(changes).toMatch(/accuracy/);
    expect(changes).toMatch(/auc/);
    expect(await h.page.getByTestId('drift-judged').innerText()).toMatch(/quality and fairness metric/);
  });

  test('fairness gaps are compared between the files', async () => {
    // The credit sample preselects its sensitive columns in the Fairness view.
    await h.page.getByTestId('tab-fairness').click();
    await h.page.getByTestId('fairness-view').waitFor();
    await h.page.getByTestId('tab-drift').click();
    const table = await h.page.getByTestId('fairness-changes').innerText();
    expect(table).toMatch(/Parity/i);
    expect(table).not.toMatch(/NaN/);
  });

  test('time windows over ApplicationDate', async () => {
    await h.page.getByTestId('time-column').selectOption('ApplicationDate');
    await h.page.getByTestId('window-count').fill('4');
    const rows = h.page.getByTestId('windows-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await h.page.getByTestId('windows-note').innerText()).toMatch(/ApplicationDate/);
    await h.page.getByTestId('windows-psi').waitFor();
    await h.page.getByTestId('windows-metric').waitFor();
    expect(await h.page.getByTestId('drift-table').innerText()).not.toMatch(/NaN/);
    expect(await h.page.getByTestId('windows-table').innerText()).not.toMatch(/NaN/);
  });

  test('the report holds dataQuality.drift; nothing left the origin', async () => {
    const [d] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-report').click()]);
    const r = JSON.parse(readFileSync(await d.path(), 'utf8'));
    const dq = r.dataQuality;
    expect(dq.profiles.length).toBeGreaterThan(10);
    expect(dq.preparation.strategy).toBe('median-mode');
    expect(dq.drift.features.slice(0, 6).map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['Age', 'Amount', 'Purpose', 'Duration']));
    expect(dq.drift.features[0].psi.value).toBeGreaterThan(0.1);
    expect(dq.predictionDrift.score.psi).toBeDefined();
    expect(dq.metricChanges.changes.length).toBeGreaterThan(3);
    expect(dq.windows.windows).toHaveLength(4);
    expect(h.pageErrors).toEqual([]);
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
