/**
 * The Overview in real Chromium: the credit-gbt sample's findings, problems first, each saying what it
 * measured; the not-checked ones say what to run; a finding's link opens its view; a drifted file turns
 * the drift check into a finding.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { loadSample, openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
let h: Harness;

const SEVERITY_RANK: Record<string, number> = { high: 0, medium: 1, info: 2, 'not-checked': 3 };

beforeAll(async () => {
  h = await openApp(baseUrl);
  await loadSample(h, 'credit-gbt');
  await h.page.getByTestId('tab-findings').click();
  await h.page.getByTestId('findings-view').waitFor();
  // The fairness partitions are computed in the worker: wait for their findings.
  await h.page.locator('[data-testid="finding-fairness-gap:Sex"]').waitFor({ timeout: 60_000 });
});
afterAll(async () => {
  await h?.close();
});

describe('findings (Overview)', () => {
  test('lists every check for credit-gbt, ordered by severity, with the numbers measured', async () => {
    const items = h.page.locator('[data-testid^="finding-"][data-severity]');
    const rows = await items.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-testid')!.slice('finding-'.length), severity: e.getAttribute('data-severity')!, text: (e as HTMLElement).innerText })));
    const ids = rows.map((r) => r.id);
    for (const id of ['constant-predictions', 'calibration', 'dominant-feature', 'drift', 'latency-budget', 'interval-width', 'small-groups', 'fairness-gap:Sex', 'fairness-gap:Age', 'fairness-gap:ForeignWorker'])
      expect(ids).toContain(id);
    const ranks = rows.map((r) => SEVERITY_RANK[r.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    // Scored and labelled: these checks ran and say what they measured.
    expect(by['constant-predictions'].severity).toBe('info');
    expect(by['constant-predictions'].text).toMatch(/\d+(\.\d+)?% of 1,000 rows are predicted “(Bad|Good)”/);
    expect(by.calibration.severity).not.toBe('not-checked');
    expect(by.calibration.text).toMatch(/Expected calibration error \d/);
    expect(by['interval-width'].text).toMatch(/bootstrap intervals on 1,000 rows/);
    expect(by['fairness-gap:Sex'].severity).not.toBe('not-checked');
    // Not run yet: they say what to run.
    expect(by['dominant-feature'].severity).toBe('not-checked');
    expect(by['dominant-feature'].text).toMatch(/Importance not computed yet[\s\S]*Explanations/);
    expect(by.drift.severity).toBe('not-checked');
    expect(by['latency-budget'].text).toMatch(/latency lab/);
    expect(await h.page.getByTestId('findings-summary').innerText()).toMatch(/checks on credit-gbt\.onnx with credit\.csv/);
    expect(await h.page.getByTestId('findings-view').innerText()).not.toMatch(/NaN|undefined/);
  });

  test('a finding’s link opens the view it names', async () => {
    await h.page.getByTestId('finding-link-fairness-gap:Sex').click();
    await h.page.getByTestId('fairness-view').waitFor();
    expect(await h.page.getByTestId('tab-fairness').getAttribute('aria-pressed')).toBe('true');
    await h.page.getByTestId('tab-findings').click();
    await h.page.getByTestId('finding-link-calibration').click();
    expect(await h.page.getByTestId('tab-quality').getAttribute('aria-pressed')).toBe('true');
    await h.page.getByTestId('tab-findings').click();
    await h.page.getByTestId('finding-link-drift').click();
    expect(await h.page.getByTestId('tab-drift').getAttribute('aria-pressed')).toBe('true');
  });

  test('after a SHAP summary, the importance check reads it', async () => {
    await h.page.getByTestId('tab-explain').click();
    await h.page.getByTestId('explain-view').waitFor();
    await h.page.getByTestId('shap-start').click();
    await h.page.getByTestId('beeswarm').waitFor({ timeout: 60_000 });
    await h.page.getByTestId('tab-findings').click();
    const f = h.page.getByTestId('finding-dominant-feature');
    expect(await f.getAttribute('data-severity')).toMatch(/^(info|medium)$/);
    expect(await f.innerText()).toMatch(/holds \d+(\.\d+)?% of the total mean \|SHAP\| over \d+ features \(limit 50%\)/);
  });

  test('the drifted file turns the drift check into a finding over the threshold', async () => {
    await h.page.getByTestId('finding-link-drift').click();
    await h.page.getByTestId('load-drifted').click();
    await h.page.waitForFunction(() => {
      const s = (window as unknown as { loupe: { job: unknown; currentScoring: unknown } }).loupe;
      return !s.job && !!s.currentScoring;
    }, undefined, { timeout: 60_000 });
    await h.page.getByTestId('tab-findings').click();
    const drift = h.page.getByTestId('finding-drift');
    expect(await drift.getAttribute('data-severity')).toBe('high');
    expect(await drift.innerText()).toMatch(/credit-current\.csv: PSI at or above 0\.25 in/);
    // It is listed before the checks that passed.
    const first = await h.page.locator('[data-severity]').first().getAttribute('data-severity');
    expect(first).toBe('high');
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
