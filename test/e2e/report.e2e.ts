/**
 * The HTML report and the settings link in real Chromium on the credit sample: the exported HTML
 * opens with every network request refused and holds the JSON report's figures and the charts, with
 * data rows only when the box is ticked; a copied settings link opened in a fresh page restores the
 * threshold, the fairness columns and the open view.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSample, openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
const dir = mkdtempSync(join(tmpdir(), 'loupe-report-'));
let h: Harness;
/** The AUC as the quality view shows it. */
let shownAuc = '';

type Loupe = {
  quality: { threshold: number };
  fairness: { columns: string[]; minSize: number };
  ui: { view: string };
  sample: { id: string } | null;
  scoring: unknown;
  job: unknown;
  reportText(): string;
};

beforeAll(async () => {
  h = await openApp(baseUrl);
  await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
  await loadSample(h, 'credit-gbt');
  // Settings the report and the link should carry: a threshold and the fairness columns.
  await h.page.getByTestId('tab-quality').click();
  await h.page.getByTestId('q-threshold-slider').fill('0.3');
  shownAuc = await h.page.getByTestId('q-auc').innerText();
  await h.page.getByTestId('tab-fairness').click();
  await h.page.getByTestId('fairness-view').waitFor();
  for (const c of ['Age', 'ForeignWorker']) if (await h.page.getByTestId(`fair-col-${c}`).isChecked()) await h.page.getByTestId(`fair-col-${c}`).uncheck();
  if (!(await h.page.getByTestId('fair-col-Sex').isChecked())) await h.page.getByTestId('fair-col-Sex').check();
  await h.page.getByTestId('fair-min-size').fill('40');
  await h.page.getByTestId('fair-disparity-chart').waitFor();
  // The drifted file (drift charts) and one explained row (explanation charts).
  await h.page.getByTestId('tab-drift').click();
  await h.page.getByTestId('load-drifted').click();
  await h.page.waitForFunction(() => {
    const s = (window as unknown as { loupe: Loupe & { currentScoring: unknown } }).loupe;
    return !s.job && !!s.currentScoring;
  }, undefined, { timeout: 60_000 });
  await h.page.getByTestId('tab-explain').click();
  await h.page.getByTestId('waterfall').waitFor({ timeout: 60_000 });
});
afterAll(async () => {
  await h?.close();
});

/** Exports the HTML report (rows ticked or not) and returns the saved file's path. */
async function exportHtml(rows: boolean): Promise<string> {
  if (!(await h.page.getByTestId('export-html').isVisible())) await h.page.getByTestId('export-html-toggle').click();
  const box = h.page.getByTestId('export-rows');
  if ((await box.isChecked()) !== rows) await box.setChecked(rows);
  const t0 = Date.now();
  const [d] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-html').click()]);
  expect(d.suggestedFilename()).toBe('loupe-report.html');
  const path = join(dir, rows ? 'with-rows.html' : 'no-rows.html');
  await d.saveAs(path);
  console.log(`HTML report (rows: ${rows}): ${Date.now() - t0} ms to download, ${readFileSync(path).length} bytes`);
  return path;
}

/** Opens a saved report in a fresh context where every request is refused; returns the page and what it tried to load. */
async function openOffline(path: string) {
  const context = await h.browser.newContext();
  const url = pathToFileURL(path).href;
  const requests: string[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  await context.route('**', (r) => (r.request().url() === url ? r.continue() : r.abort()));
  context.on('request', (r) => requests.push(r.url()));
  context.on('requestfailed', (r) => failed.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  await page.waitForLoadState('load');
  return { context, page, others: () => requests.filter((u) => u !== url), failed, errors };
}

describe('HTML report', () => {
  let report: Record<string, unknown> & { quality: { binary: { roc: { auc: { value: number } }; intervals: { intervals: { auc: { lo: number; hi: number } } } } } };

  test('opens with no network and holds the figures of the JSON report', async () => {
    const path = await exportHtml(false);
    // After the export: it waits for the figures computed in the background, so the page's report now holds them too.
    report = JSON.parse(await h.page.evaluate(() => (window as unknown as { loupe: Loupe }).loupe.reportText()));
    // No address of any kind in the file (the CSP would also stop a request, so check the text too).
    expect(readFileSync(path, 'utf8')).not.toMatch(/https?:|\/\/[a-z]/i);
    const o = await openOffline(path);
    if (process.env.LOUPE_REPORT_SHOT) await o.page.screenshot({ path: process.env.LOUPE_REPORT_SHOT, fullPage: true });
    try {
      expect(o.others()).toEqual([]);
      expect(o.failed).toEqual([]);
      expect(o.errors).toEqual([]);
      const p = o.page;
      expect(await p.title()).toBe('Loupe report — credit-gbt.onnx');
      expect(await p.locator('[data-key="model.card.fileName"]').first().innerText()).toBe('credit-gbt.onnx');
      expect(await p.locator('[data-key="data.file.fileName"]').first().innerText()).toBe('credit.csv');
      // The AUC as the quality view formats it (3 decimals) with its bootstrap interval.
      const auc = report.quality.binary.roc.auc.value, iv = report.quality.binary.intervals.intervals.auc;
      expect(await p.locator('[data-key="quality.binary.roc.auc"]').innerText()).toBe(`${auc.toFixed(3)} [${iv.lo.toFixed(3)}, ${iv.hi.toFixed(3)}]`);
      expect(shownAuc).toBe(auc.toFixed(3));
      expect(await p.locator('[data-key="quality.threshold"]').innerText()).toBe('0.300');
      // The embedded JSON is the report (its time stamp aside).
      const embedded = JSON.parse(await p.locator('#loupe-report').textContent() ?? 'null');
      expect({ ...embedded, generator: null }).toEqual({ ...report, generator: null });
      // Charts: every chart of the views, inline.
      const svgs = await p.locator('#charts figure svg').count();
      console.log(`charts in the report: ${svgs}; sections: ${(await p.locator('#charts h3').allInnerTexts()).join(', ')}`);
      expect(svgs).toBeGreaterThanOrEqual(12);
      expect(await p.locator('#charts h3').allInnerTexts()).toEqual(['Quality', 'Explanations', 'Fairness', 'Data & drift', 'Scorecard']);
      // Each view's own charts, by title.
      const titles = await p.locator('#charts figcaption').allInnerTexts();
      expect(titles.some((t) => /^Why row 1 scores/.test(t))).toBe(true);
      expect(titles.some((t) => /reference vs current/.test(t))).toBe(true);
      expect(await p.locator('#drift [data-key="dataQuality.current.file"]').innerText()).toMatch(/^credit-current\.csv/);
      expect(await p.locator('[data-key="explanations.setup.method"]').innerText()).toBe('tree');
      const box = await p.locator('#charts figure svg').first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      // Settings used, no data rows.
      const settings = JSON.parse(await p.locator('#settings pre').innerText());
      expect(settings.quality.threshold).toBe(0.3);
      expect(settings.fairness.columns).toEqual(['Sex']);
      expect(await p.locator('#rows').count()).toBe(0);
      expect(await p.locator('script:not([type="application/json"])').count()).toBe(0);
      // Collecting the charts started no job in the app.
      expect(await h.page.evaluate(() => (window as unknown as { loupe: Loupe }).loupe.job)).toBeNull();
    } finally {
      await o.context.close();
    }
  });

  test('rows only with the box ticked', async () => {
    const path = await exportHtml(true);
    const o = await openOffline(path);
    try {
      expect(o.others()).toEqual([]);
      const rows = o.page.locator('#rows tbody tr');
      expect(await rows.count()).toBe(1000);
      const header = await o.page.locator('#rows thead th').allInnerTexts();
      expect(header).toContain('Class');
      expect(await o.page.locator('#rows .note').innerText()).toMatch(/All 1,000 rows/);
    } finally {
      await o.context.close();
    }
  });

  test('the HTML report controls work from the keyboard', async () => {
    const toggle = h.page.getByTestId('export-html-toggle');
    if (await h.page.getByTestId('export-html').isVisible()) await toggle.click();
    await toggle.focus();
    await h.page.keyboard.press('Enter');
    await expect.poll(() => h.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-rows');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const before = await h.page.getByTestId('export-rows').isChecked();
    await h.page.keyboard.press('Space');
    expect(await h.page.getByTestId('export-rows').isChecked()).toBe(!before);
    await h.page.keyboard.press('Space');
    expect(await h.page.getByTestId('export-rows').isChecked()).toBe(before);
    await h.page.keyboard.press('Escape');
    await expect.poll(() => h.page.getByTestId('export-html').count()).toBe(0);
    expect(await h.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-html-toggle');
  });

  test('the app itself made no request off its origin', () => {
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});

describe('settings link', () => {
  test('copied, then opened in a fresh page: the sample, threshold, fairness columns and view come back', async () => {
    await h.page.getByTestId('tab-fairness').click();
    await h.page.getByTestId('copy-settings-link').click();
    const url = await h.page.evaluate(() => location.href);
    expect(url).toMatch(/#loupe=[A-Za-z0-9_-]+$/);
    // Copied to the clipboard when the browser allows it (this context grants it).
    expect(await h.page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    const page = await h.context.newPage();
    try {
      await page.goto(url);
      await page.waitForFunction(
        () => {
          const s = (window as unknown as { loupe?: Loupe }).loupe;
          return !!s && s.sample?.id === 'credit-gbt' && !!s.scoring && !s.job && s.ui.view === 'fairness';
        },
        undefined,
        { timeout: 60_000 },
      );
      const state = await page.evaluate(() => {
        const s = (window as unknown as { loupe: Loupe }).loupe;
        return { threshold: s.quality.threshold, columns: [...s.fairness.columns], minSize: s.fairness.minSize, view: s.ui.view };
      });
      expect(state).toEqual({ threshold: 0.3, columns: ['Sex'], minSize: 40, view: 'fairness' });
      await expect.poll(() => page.getByTestId('fair-col-Sex').isChecked()).toBe(true);
      expect(await page.getByTestId('fair-col-Age').isChecked()).toBe(false);
    } finally {
      await page.close();
    }
  });

  test('a damaged link leaves the page as it is and says why', async () => {
    const page = await h.context.newPage();
    try {
      await page.goto(`${baseUrl}#loupe=bm90IGpzb24`);
      await expect.poll(() => page.locator('body').innerText()).toMatch(/settings in this link are damaged/);
      expect(await page.evaluate(() => (window as unknown as { loupe: Loupe }).loupe.sample)).toBeNull();
    } finally {
      await page.close();
    }
  });
});
