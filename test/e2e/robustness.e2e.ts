/**
 * What a real user does to the page: drag files in, load 100k rows and scroll, cancel a long parse
 * and a long scoring run, and survive a crashed worker. Nothing already loaded may be lost.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
const samples = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { id: string; model: string; csv: string }[];
const credit = samples[0];
const dir = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));

/** The credit CSV repeated until it has `rows` data rows. */
function bigCreditCsv(rows: number, name: string): string {
  const [header, ...lines] = readFileSync(`static/samples/${credit.csv}`, 'utf8').trim().split('\n');
  const out = [header];
  for (let i = 0; i < rows; i++) out.push(lines[i % lines.length]);
  const path = join(dir, name);
  writeFileSync(path, out.join('\n') + '\n');
  return path;
}

type W = { loupe: { scoring: { scored: number; n: number; cancelled: boolean } | null; data: { fileName: string; table: { nRows: number } } | null; model: { fileName: string } | null; job: { label: string } | null } };
const state = <T>(h: Harness, f: (w: W) => T) => h.page.evaluate(`(${f.toString()})(window)`) as Promise<T>;
const idle = (h: Harness) => h.page.waitForFunction(() => !(window as unknown as W).loupe.job, undefined, { timeout: 90_000 });

let h: Harness;
beforeAll(async () => {
  h = await openApp(baseUrl);
});
afterAll(async () => {
  await h?.close();
});

describe('robustness', () => {
  test('drag and drop a model and a CSV anywhere on the page', async () => {
    const handle = await h.page.evaluateHandle(async ([model, csv]) => {
      const dt = new DataTransfer();
      for (const name of [model, csv]) {
        const bytes = await (await fetch(`samples/${name}`)).arrayBuffer();
        dt.items.add(new File([bytes], name));
      }
      return dt;
    }, [credit.model, credit.csv]);
    await h.page.dispatchEvent('body', 'dragenter', { dataTransfer: handle });
    await h.page.getByText('Drop your ONNX model and/or CSV').waitFor();
    await h.page.dispatchEvent('body', 'drop', { dataTransfer: handle });
    await h.page.waitForFunction(() => {
      const s = (window as unknown as W).loupe;
      return !!s.scoring && s.scoring.scored === s.scoring.n && s.scoring.n > 0;
    }, undefined, { timeout: 60_000 });
    expect(await state(h, (w) => [w.loupe.model?.fileName, w.loupe.data?.fileName])).toEqual([credit.model, credit.csv]);
    expect(await h.page.getByText('Drop your ONNX model and/or CSV').count()).toBe(0);
  });

  test('100,000 rows load, score, and the table stays virtualized while scrolling', async () => {
    await h.page.getByLabel('CSV data').setInputFiles(bigCreditCsv(100_000, 'credit-100k.csv'));
    await h.page.waitForFunction(() => (window as unknown as W).loupe.data?.table.nRows === 100_000, undefined, { timeout: 90_000 });
    await h.page.waitForFunction(() => (window as unknown as W).loupe.scoring?.scored === 100_000, undefined, { timeout: 90_000 });
    await h.page.getByTestId('tab-predictions').click();
    const viewport = h.page.locator('[data-testid="predictions-table"] .viewport');
    await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastRow = h.page.locator('tr[data-row="99999"]');
    await lastRow.waitFor();
    const inDom = await h.page.locator('[data-testid="predictions-table"] tbody tr[data-row]').count();
    expect(inDom).toBeLessThan(120);
    expect(await lastRow.locator('td').first().innerText()).toBe('100000');

    // 100k rows sort in the worker: descending by score, the page shows the highest scores first.
    await viewport.evaluate((el) => (el.scrollTop = 0));
    await h.page.getByTestId('sort-score').click();
    await h.page.getByTestId('sort-score').click();
    await h.page.getByTestId('sorting').waitFor({ state: 'detached', timeout: 30_000 });
    const top = await h.page.evaluate(() => {
      const s = (window as unknown as { loupe: { outcomes: { score: Float32Array } } }).loupe.outcomes.score;
      let m = -Infinity;
      for (const v of s) if (v > m) m = v;
      return m;
    });
    const shown = (await h.page.locator('[data-testid="predictions-table"] tbody tr[data-row] td.num:nth-child(4)').allInnerTexts()).map(Number);
    expect(shown[0]).toBeCloseTo(top, 3);
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeLessThanOrEqual(shown[i - 1]);
  });

  test('cancelling a long parse keeps the loaded data', async () => {
    const path = bigCreditCsv(400_000, 'credit-400k.csv');
    await h.page.getByLabel('CSV data').setInputFiles(path);
    const cancel = h.page.getByTestId('cancel-job');
    await cancel.waitFor();
    await h.page.waitForFunction(() => {
      const p = document.querySelector('[data-testid="job"] progress') as HTMLProgressElement | null;
      return !!p && p.value > 0;
    });
    await cancel.click();
    await idle(h);
    expect(await h.page.getByTestId('message-info').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/Reading credit-400k\.csv was cancelled/)]));
    expect(await state(h, (w) => w.loupe.data?.table.nRows)).toBe(100_000);
    expect(await state(h, (w) => w.loupe.data?.fileName)).toBe('credit-100k.csv');
  });

  test('cancelling scoring keeps the rows scored so far', async () => {
    await h.page.getByTestId('tab-overview').click();
    await h.page.getByTestId('score-button').click();
    const cancel = h.page.getByTestId('cancel-job');
    await cancel.waitFor();
    await cancel.click();
    await idle(h);
    const s = await state(h, (w) => w.loupe.scoring);
    expect(s?.cancelled).toBe(true);
    expect(s!.scored).toBeLessThan(100_000);
    expect(await h.page.getByTestId('message-info').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/Scoring was cancelled after/)]));
  });

  test('a worker that dies while scoring is restarted, and Loupe leaves the retry to the user', async () => {
    await h.page.getByTestId('tab-overview').click();
    await h.page.getByTestId('score-button').click();
    await h.page.waitForFunction(() => /^Scoring/.test((window as unknown as W).loupe.job?.label ?? ''));
    await h.page.evaluate(() => (window as unknown as { loupe: { crashWorker(): void } }).loupe.crashWorker());
    await h.page.getByTestId('message-warning').filter({ hasText: /did not score again by itself/ }).waitFor({ timeout: 60_000 });
    await idle(h);
    expect(await state(h, (w) => w.loupe.data?.table.nRows)).toBe(100_000);
    expect(await state(h, (w) => !!w.loupe.model)).toBe(true);
    expect(await state(h, (w) => w.loupe.scoring)).toBeNull();
    // The retry works on the restarted engine.
    await h.page.getByTestId('score-button').click();
    await h.page.waitForFunction(() => (window as unknown as W).loupe.scoring?.scored === 100_000, undefined, { timeout: 90_000 });
  });

  test('a crashed worker is reported, restarted, and the model and data come back', async () => {
    await h.page.getByTestId(`sample-${samples[1].id}`).click();
    await h.page.waitForFunction(() => !!(window as unknown as W).loupe.scoring && !(window as unknown as W).loupe.job, undefined, { timeout: 60_000 });
    await h.page.evaluate(() => (window as unknown as { loupe: { crashWorker(): void } }).loupe.crashWorker());
    await h.page.getByTestId('message-error').filter({ hasText: /engine worker stopped/ }).waitFor();
    await h.page.waitForFunction(() => {
      const s = (window as unknown as W).loupe;
      return !!s.model && !!s.data && !!s.scoring && s.scoring.scored === s.scoring.n && !s.job;
    }, undefined, { timeout: 60_000 });
    expect(await state(h, (w) => w.loupe.model?.fileName)).toBe(samples[1].model);
  });

  test('nothing left the origin', () => {
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
