/**
 * The backbone end to end, in real Chromium against the built app: samples, file inputs, bad files,
 * the report, isolation, and that no request leaves the origin.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync, mkdirSync } from 'node:fs';
import { openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
const samples = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { id: string; model: string; csv: string; target: string }[];

let h: Harness;

beforeAll(async () => {
  h = await openApp(baseUrl);
});

afterAll(async () => {
  await h?.close();
});

const text = (testId: string) => h.page.getByTestId(testId).innerText();

describe('Loupe in a real browser', () => {
  test('the page is cross-origin isolated and says so', async () => {
    expect(await h.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await h.page.getByTestId('isolation').waitFor();
    expect(await text('isolation')).toMatch(/Cross-origin isolated: wasm uses \d+ thread/);
  });

  test('one click on the default sample scores every row', async () => {
    const first = samples[0];
    await h.page.getByTestId(`sample-${first.id}`).click();
    await h.page.getByTestId('model-card').getByText(first.model).waitFor();
    await h.page.getByTestId('tab-predictions').click();
    await h.page.getByTestId('rows-scored').waitFor({ timeout: 60_000 });
    const csvRows = readFileSync(`static/samples/${first.csv}`, 'utf8').trim().split('\n').length - 1;
    expect(Number((await text('rows-scored')).replace(/\D/g, ''))).toBe(csvRows);
    const acc = parseFloat(await text('accuracy'));
    expect(acc).toBeGreaterThan(60);
    // The ZipMap output was rewritten and the user was told.
    expect(await h.page.getByTestId('message-info').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/ZipMap/)]),
    );
    // The virtualized table renders a window of rows, not all of them.
    const rendered = await h.page.locator('[data-testid="predictions-table"] tbody tr[data-row]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(csvRows);
  });

  test('the predictions table filters and sorts', async () => {
    const count = async () => Number((await text('row-count')).split(' of ')[0].replace(/\D/g, ''));
    const all = await count();
    await h.page.getByTestId('outcome-filter').selectOption('wrong');
    const wrong = await count();
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThan(all);
    const marks = await h.page.locator('[data-testid="predictions-table"] tbody tr[data-row] td.mark').allInnerTexts();
    expect(new Set(marks)).toEqual(new Set(['✗']));
    await h.page.getByTestId('outcome-filter').selectOption('all');
    await h.page.getByTestId('sort-score').click();
    await h.page.getByTestId('sort-score').click();
    const scores = (await h.page.locator('[data-testid="predictions-table"] tbody tr[data-row] td.num:nth-child(4)').allInnerTexts()).map(Number);
    expect(scores.length).toBeGreaterThan(3);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
  });

  test('a model and a CSV load through the labelled file inputs', async () => {
    const multi = samples.find((s) => s.id.includes('species'))!;
    await h.page.getByTestId('tab-overview').click();
    await h.page.getByLabel('ONNX model').setInputFiles(`static/samples/${multi.model}`);
    await h.page.getByTestId('model-card').getByText(multi.model).waitFor();
    await h.page.getByLabel('CSV data').setInputFiles(`static/samples/${multi.csv}`);
    await h.page.getByTestId('tab-predictions').click();
    await h.page.waitForFunction(
      (csv) => {
        const s = (window as unknown as { loupe: { scoring: { scored: number } | null; data: { fileName: string } | null } }).loupe;
        return s.data?.fileName === csv && !!s.scoring && s.scoring.scored > 0;
      },
      multi.csv,
      { timeout: 60_000 },
    );
    const acc = parseFloat(await text('accuracy'));
    expect(acc).toBeGreaterThan(80);
  });

  test('a file that is not ONNX gets a clear message and the loaded model stays', async () => {
    const before = await h.page.evaluate(() => (window as unknown as { loupe: { model: { fileName: string } } }).loupe.model.fileName);
    await h.page.getByLabel('ONNX model').setInputFiles({ name: 'notes.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a model, just text\n'.repeat(20)) });
    const err = h.page.getByTestId('message-error').last();
    await err.waitFor();
    expect(await err.innerText()).toMatch(/notes\.onnx/);
    expect(await err.innerText()).toMatch(/not an ONNX model/i);
    const after = await h.page.evaluate(() => (window as unknown as { loupe: { model: { fileName: string } } }).loupe.model.fileName);
    expect(after).toBe(before);
    // Still working: the predictions are still there and the tab still switches.
    await h.page.getByTestId('tab-predictions').click();
    await h.page.getByTestId('rows-scored').waitFor();
  });

  test('a bad CSV (empty, header only, binary) gets a clear message and the loaded data stays', async () => {
    const before = await h.page.evaluate(() => (window as unknown as { loupe: { data: { fileName: string } } }).loupe.data.fileName);
    const cases: [string, Buffer, RegExp][] = [
      ['empty.csv', Buffer.alloc(0), /empty/i],
      ['header-only.csv', Buffer.from('a,b,c\n'), /header row but no data rows/i],
      ['garbage.csv', Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256)), /does not look like a text CSV/i],
    ];
    for (const [name, buffer, why] of cases) {
      await h.page.getByLabel('CSV data').setInputFiles({ name, mimeType: 'text/csv', buffer });
      const err = h.page.getByTestId('message-error').filter({ hasText: name });
      await err.waitFor();
      expect(await err.innerText()).toMatch(why);
      expect(await err.innerText()).toMatch(/still loaded/);
    }
    const after = await h.page.evaluate(() => (window as unknown as { loupe: { data: { fileName: string } } }).loupe.data.fileName);
    expect(after).toBe(before);
  });

  test('export report downloads JSON with the figures shown', async () => {
    const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-report').click()]);
    expect(download.suggestedFilename()).toBe('loupe-report.json');
    const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(report.schema).toBe(1);
    expect(report.model.card.inputs.length).toBeGreaterThan(0);
    expect(report.data.summary.rows).toBeGreaterThan(0);
    expect(report.mapping.mapping.task).toBe('multiclass');
    const shown = parseFloat(await text('accuracy')) / 100;
    expect(report.predictions.summary.accuracy).toBeCloseTo(shown, 3);
    expect(report.environment.crossOriginIsolated).toBe(true);
  });

  test('the README screenshot is refreshed', async () => {
    await h.page.getByTestId(`sample-${samples[0].id}`).click();
    await h.page.getByTestId('tab-predictions').click();
    await h.page.waitForFunction(() => {
      const s = (window as unknown as { loupe: { scoring: unknown; job: unknown } }).loupe;
      return !!s.scoring && !s.job;
    });
    // The picture shows the product, not the bad-file messages earlier tests left.
    const close = h.page.getByRole('button', { name: 'Dismiss message' });
    while ((await close.count()) > 0) await close.first().click();
    mkdirSync('docs', { recursive: true });
    await h.page.screenshot({ path: 'docs/screenshot.png' });
  });

  test('no request left the origin during the whole run', () => {
    expect(h.requests.length).toBeGreaterThan(3);
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
