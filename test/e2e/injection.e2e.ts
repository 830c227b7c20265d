/**
 * Column names, cell values, class labels and model metadata holding HTML or script are shown as text:
 * a CSV and an ONNX model full of `<img onerror>`, `<script>` and attribute-breaking strings are loaded,
 * scored, and every view is visited; nothing runs, no element is injected, and the strings are visible
 * as typed.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { openApp, offOrigin, type Harness } from './browser';
import { INJECTIONS, writeBadFixtures, type BadFiles } from '../../scripts/bad-fixtures';

const baseUrl = inject('baseUrl');
const VIEWS = ['findings', 'overview', 'predictions', 'quality', 'explain', 'fairness', 'drift', 'latency', 'scorecard'] as const;

type W = {
  __pwned?: unknown;
  loupe: {
    model: { fileName: string } | null;
    data: { fileName: string } | null;
    mapping: { target: string | null; classes: string[]; bindings: { input: string; columns: (string | null)[] }[] } | null;
    scoring: { scored: number; n: number } | null;
    job: unknown;
  };
};

let h: Harness;
let files: BadFiles;

/** What an injection would leave behind, read in the page. */
const traces = () =>
  h.page.evaluate(() => ({
    pwned: (window as unknown as W).__pwned,
    imgX: document.querySelectorAll('img[src="x"], img[onerror]').length,
    boldX: Array.from(document.querySelectorAll('b')).filter((b) => b.textContent === 'x').length,
    scripts: Array.from(document.querySelectorAll('script')).filter((s) => (s.textContent ?? '').includes('__pwned')).length,
    handlers: Array.from(document.querySelectorAll('*')).filter((el) => el.getAttribute('onerror') !== null).length,
  }));
const CLEAN = { pwned: undefined, imgX: 0, boldX: 0, scripts: 0, handlers: 0 };

beforeAll(async () => {
  files = writeBadFixtures();
  h = await openApp(baseUrl);
});
afterAll(async () => {
  await h?.close();
});

describe('HTML and script in files are shown as text', () => {
  test('the model and the CSV load, map by their HTML-named columns, and score', async () => {
    await h.page.getByTestId('model-input').setInputFiles(files.injectionModel);
    await h.page.waitForFunction(() => (window as unknown as W).loupe.model?.fileName === 'injection.onnx' && !(window as unknown as W).loupe.job);
    await h.page.getByTestId('csv-input').setInputFiles('test/fixtures/bad/injection.csv');
    await h.page.waitForFunction(() => (window as unknown as W).loupe.scoring?.scored === 60, undefined, { timeout: 60_000 });
    const mapping = await h.page.evaluate(() => (window as unknown as W).loupe.mapping);
    expect(mapping?.bindings.map((b) => [b.input, b.columns])).toEqual([
      [INJECTIONS.img, [INJECTIONS.img]],
      [INJECTIONS.bold, [INJECTIONS.bold]],
    ]);
    expect(mapping?.target).toBe('label');
    // The same file as the drift view's "current" data, so its tables list the names and categories too.
    const text = readFileSync('test/fixtures/bad/injection.csv', 'utf8');
    await h.page.evaluate((t) => (window as unknown as { loupe: { loadCurrentCsv(b: Blob, n: string): Promise<boolean> } }).loupe.loadCurrentCsv(new Blob([t]), 'current.csv'), text);
    await h.page.waitForFunction(() => !(window as unknown as W).loupe.job, undefined, { timeout: 60_000 });
    expect([...(mapping?.classes ?? [])].sort()).toEqual([INJECTIONS.script, INJECTIONS.bold].sort());
    expect(await traces()).toEqual(CLEAN);
  });

  for (const view of VIEWS) {
    test(`view ${view}: nothing injected`, async () => {
      await h.page.getByTestId(`tab-${view}`).click();
      await h.page.waitForFunction(() => !(window as unknown as W).loupe.job, undefined, { timeout: 60_000 });
      // Give images a moment to fail to load and handlers to fire, were any injected.
      await h.page.waitForTimeout(400);
      expect(await traces()).toEqual(CLEAN);
    });
  }

  test('the strings appear as literal text: model card, metadata, columns, classes', async () => {
    await h.page.getByTestId('tab-overview').click();
    const text = await h.page.locator('main').innerText();
    for (const s of Object.values(INJECTIONS)) expect(text, s).toContain(s);
    // The model card: producer and its version, input names, and (opened) metadata keys and values.
    const card = h.page.getByTestId('model-card');
    await card.getByText(/^Metadata/).click();
    const cardText = await card.innerText();
    expect(cardText).toContain(`${INJECTIONS.script} ${INJECTIONS.bold}`);
    // The model's doc_string, shown as its description.
    expect(cardText).toContain(`model doc ${INJECTIONS.script} ${INJECTIONS.img} ${INJECTIONS.bold}`);
    for (const s of Object.values(INJECTIONS)) expect(cardText.split(s).length - 1, s).toBeGreaterThanOrEqual(2);
    expect(await card.locator('th.mono').allInnerTexts()).toEqual(expect.arrayContaining([INJECTIONS.img, INJECTIONS.script]));
    await h.page.getByTestId('tab-predictions').click();
    await h.page.locator('[data-testid="predictions-table"] tbody tr[data-row]').first().waitFor();
    const table = await h.page.getByTestId('predictions-table').innerText();
    expect(table).toContain(INJECTIONS.script);
    expect(table).toContain(INJECTIONS.bold);
    expect(await traces()).toEqual(CLEAN);
  });

  test("the quality charts' SVG (what chart export serializes) holds the labels as escaped text", async () => {
    await h.page.getByTestId('tab-quality').click();
    await h.page.getByTestId('quality-headline').waitFor();
    const svgs = await h.page.locator('main svg').evaluateAll((els) => els.map((el) => new XMLSerializer().serializeToString(el)));
    expect(svgs.length).toBeGreaterThan(0);
    for (const svg of svgs) expect(svg).not.toMatch(/<img|<script|<b>/);
    expect(svgs.some((svg) => svg.includes('&lt;script&gt;window.__pwned=1&lt;/script&gt;'))).toBe(true);
    expect(await traces()).toEqual(CLEAN);
  });

  test('no page errors, and nothing left the origin', () => {
    expect(h.pageErrors).toEqual([]);
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
