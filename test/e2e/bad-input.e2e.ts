/**
 * Every bad file of the corpus (`test/fixtures/bad/`, plus the big and binary ones `scripts/bad-fixtures.ts`
 * writes) goes through the real page after the credit-gbt sample is loaded: a message naming the problem
 * appears, what was loaded stays (or, for a file that loads with a warning, replaces it and scores), and
 * the page keeps working.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { openApp, offOrigin, loadSample, SAMPLES, type Harness } from './browser';
import { writeBadFixtures, type BadFiles } from '../../scripts/bad-fixtures';

const baseUrl = inject('baseUrl');
const GBT = SAMPLES.find((s) => s.id === 'credit-gbt')!;
const committed = (name: string) => `test/fixtures/bad/${name}`;

interface Snapshot {
  model: string | null;
  data: string | null;
  rows: number | null;
  scored: number | null;
  job: boolean;
}
type W = {
  loupe: {
    model: { fileName: string } | null;
    data: { fileName: string; table: { nRows: number; columns: { name: string; categories?: string[] }[] } } | null;
    scoring: { scored: number; n: number } | null;
    job: unknown;
    messages: unknown[];
  };
};

const snapshot = (h: Harness) =>
  h.page.evaluate((): Snapshot => {
    const s = (window as unknown as W).loupe;
    return { model: s.model?.fileName ?? null, data: s.data?.fileName ?? null, rows: s.data?.table.nRows ?? null, scored: s.scoring?.scored ?? null, job: !!s.job };
  });
const idle = (h: Harness) => h.page.waitForFunction(() => !(window as unknown as W).loupe.job, undefined, { timeout: 60_000 });
const LOADED: Snapshot = { model: GBT.model, data: GBT.csv, rows: 1000, scored: 1000, job: false };

let h: Harness;
let files: BadFiles;

/** Back to the credit-gbt sample, scored, with no messages, before each case. */
async function fresh(): Promise<void> {
  await idle(h);
  const s = await snapshot(h);
  if (JSON.stringify(s) !== JSON.stringify(LOADED)) {
    await h.page.getByTestId('tab-overview').click();
    await loadSample(h, GBT.id);
  }
  await h.page.evaluate(() => ((window as unknown as W).loupe.messages = []));
  expect(await snapshot(h)).toEqual(LOADED);
}

/** Drops files built in the page from bytes, as a drag from the desktop would. */
async function drop(name: string, bytes: Uint8Array): Promise<void> {
  const handle = await h.page.evaluateHandle(
    ([n, b]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b as number[])], n as string));
      return dt;
    },
    [name, Array.from(bytes)] as const,
  );
  await h.page.dispatchEvent('body', 'dragenter', { dataTransfer: handle });
  await h.page.dispatchEvent('body', 'drop', { dataTransfer: handle });
}

/** Shows a view and checks it draws: the predictions table, or the quality view's metrics. */
async function stillWorks(view: 'predictions' | 'quality'): Promise<void> {
  await h.page.getByTestId(`tab-${view}`).click();
  if (view === 'predictions') {
    await h.page.locator('[data-testid="predictions-table"] tbody tr[data-row]').first().waitFor();
  } else {
    await h.page.getByTestId('quality-headline').waitFor();
  }
  await h.page.getByTestId('tab-overview').click();
  await h.page.getByTestId('mapping-panel').waitFor();
}

interface Case {
  name: string;
  via: 'model' | 'csv' | 'drop';
  /** A path, or (for drops) a file name and bytes. */
  file: () => string | { name: string; bytes: Uint8Array };
  level: 'error' | 'warning';
  message: RegExp;
  /** 'kept': nothing changed; 'data': the CSV loaded (with a warning) and was scored; 'model': the model loaded but cannot score. */
  after: 'kept' | { data: string; rows: number } | { model: string };
}

const CASES: Case[] = [
  { name: 'model: random bytes', via: 'model', file: () => files.randomModel, level: 'error', message: /(?<!: )'random\.onnx' is not an ONNX model \(its bytes do not follow the ONNX format\)/, after: 'kept' },
  { name: 'model: truncated ONNX', via: 'model', file: () => files.truncatedModel, level: 'error', message: /(?<!: )'truncated\.onnx' looks truncated: its data ends in the middle of the model \(16,276 bytes read\)/, after: 'kept' },
  { name: 'model: empty file', via: 'model', file: () => files.emptyModel, level: 'error', message: /empty\.onnx is empty \(0 bytes\): it is not an ONNX model/, after: 'kept' },
  { name: 'model: op the wasm build lacks', via: 'model', file: () => files.unsupportedOpModel, level: 'error', message: /no kernel for the operator 'LoupeFrobnicate' \(opset 15\)/, after: 'kept' },
  { name: 'model: image model (4-D input)', via: 'model', file: () => files.imageModel, level: 'error', message: /looks like an image model \(input 'pixels' is \[N,3,224,224\]\)/, after: 'kept' },
  { name: 'model: text model (string sequence)', via: 'model', file: () => files.textModel, level: 'error', message: /looks like a text model \(input 'words' is string \[N,sequence\]\)/, after: 'kept' },
  { name: 'model: 1 GiB file', via: 'model', file: () => files.hugeModel, level: 'error', message: /huge\.onnx is 1\.0 GiB; Loupe reads models up to 512 MiB in the browser\. Nothing was loaded\./, after: 'kept' },
  {
    name: 'model: feature count does not match the CSV',
    via: 'model',
    file: () => files.widthMismatchModel,
    level: 'warning',
    message: /width-mismatch\.onnx cannot score credit\.csv as mapped: The model's input 'features' expects 12 features; the CSV has 9 numeric columns besides the target 'Class'/,
    after: { model: 'width-mismatch.onnx' },
  },
  { name: 'drop: a file that is neither model nor CSV', via: 'drop', file: () => ({ name: 'weights.bin', bytes: readFileSync(files.randomModel) }), level: 'error', message: /weights\.bin is neither an ONNX model \(\.onnx\) nor a CSV file/, after: 'kept' },
  { name: 'csv: empty', via: 'csv', file: () => committed('empty.csv'), level: 'error', message: /empty\.csv: The file is empty\. What was loaded before is still loaded\./, after: 'kept' },
  { name: 'csv: header only', via: 'csv', file: () => committed('header-only.csv'), level: 'error', message: /header-only\.csv: The file has a header row but no data rows\./, after: 'kept' },
  { name: 'csv: binary garbage', via: 'csv', file: () => files.garbageCsv, level: 'error', message: /garbage\.csv: This does not look like a text CSV file\./, after: 'kept' },
  { name: 'drop: binary garbage named .csv', via: 'drop', file: () => ({ name: 'dropped.csv', bytes: readFileSync(files.garbageCsv) }), level: 'error', message: /dropped\.csv: This does not look like a text CSV file\./, after: 'kept' },
  { name: 'csv: a 10 MB single field', via: 'csv', file: () => files.longFieldCsv, level: 'error', message: /long-field\.csv: The row starting on line 2 is longer than 8 MB/, after: 'kept' },
  { name: 'csv input: an ONNX model', via: 'csv', file: () => files.widthMismatchModel, level: 'error', message: /width-mismatch\.onnx looks like an ONNX model, not a CSV file: pick it with the “ONNX model” input/, after: 'kept' },
  { name: 'model input: a CSV file', via: 'model', file: () => committed('ragged.csv'), level: 'error', message: /'ragged\.csv' is not an ONNX model \(it is a text file \(a CSV\?\)\)/, after: 'kept' },
  { name: 'csv: 1 GiB file', via: 'csv', file: () => files.hugeCsv, level: 'error', message: /huge\.csv is 1\.0 GiB; Loupe reads CSV files up to 512 MiB\. Nothing was loaded\./, after: 'kept' },
  { name: 'csv: ragged rows', via: 'csv', file: () => committed('ragged.csv'), level: 'warning', message: /ragged\.csv: 3 rows did not have 22 fields \(first on line 7\)/, after: { data: 'ragged.csv', rows: 40 } },
  { name: 'csv: semicolon delimiter', via: 'csv', file: () => committed('semicolon.csv'), level: 'warning', message: /semicolon\.csv: Columns are separated by semicolons \(';'\), not commas/, after: { data: 'semicolon.csv', rows: 40 } },
  {
    name: 'csv: duplicate and empty column names',
    via: 'csv',
    file: () => committed('duplicate-names.csv'),
    level: 'warning',
    message: /duplicate-names\.csv: Renamed 2 columns with an empty or repeated name: 'Age' → 'Age_2', '' → 'column_24'/,
    after: { data: 'duplicate-names.csv', rows: 40 },
  },
  { name: 'csv: Latin-1 bytes', via: 'csv', file: () => committed('latin1.csv'), level: 'warning', message: /latin1\.csv: The file is not UTF-8; it was read as Windows-1252 \(Latin-1\)/, after: { data: 'latin1.csv', rows: 40 } },
];

beforeAll(async () => {
  files = writeBadFixtures();
  h = await openApp(baseUrl);
  await loadSample(h, GBT.id);
});
afterAll(async () => {
  await h?.close();
});

describe('bad input', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      await fresh();
      const file = c.file();
      const t0 = Date.now();
      if (c.via === 'drop') {
        const f = file as { name: string; bytes: Uint8Array };
        await drop(f.name, f.bytes);
      } else {
        await h.page.getByTestId(`${c.via}-input`).setInputFiles(file as string);
      }
      // (a) the message names the problem
      await h.page.getByTestId(`message-${c.level}`).filter({ hasText: c.message }).waitFor({ timeout: 60_000 });
      console.log(`${c.name}: message after ${Date.now() - t0} ms`);
      await idle(h);
      // (b) what was loaded stays, and (c) the page keeps working: a view draws
      const s = await snapshot(h);
      if (c.after === 'kept') {
        expect(s).toEqual(LOADED);
        await stillWorks('predictions');
      } else if ('data' in c.after) {
        const rows = c.after.rows;
        await h.page.waitForFunction((n) => (window as unknown as W).loupe.scoring?.scored === n, rows, { timeout: 60_000 });
        expect(await snapshot(h)).toEqual({ model: GBT.model, data: c.after.data, rows, scored: rows, job: false });
        await stillWorks('quality');
      } else {
        expect(s).toEqual({ model: c.after.model, data: GBT.csv, rows: 1000, scored: null, job: false });
        await h.page.getByTestId('tab-overview').click();
        await h.page.getByTestId('mapping-issues').filter({ hasText: /expects 12 features/ }).waitFor();
      }
      // One message for one problem.
      expect(await h.page.getByTestId('message-error').count()).toBe(c.level === 'error' ? 1 : 0);
    });
  }

  test('csv: Latin-1 text is decoded, not garbled', async () => {
    await h.page.getByTestId('csv-input').setInputFiles(committed('latin1.csv'));
    await h.page.waitForFunction(() => (window as unknown as W).loupe.data?.fileName === 'latin1.csv' && !(window as unknown as W).loupe.job);
    const names = await h.page.evaluate(() => (window as unknown as W).loupe.data!.table.columns.find((c) => c.name === 'Name')?.categories);
    expect(names).toEqual(['José', 'Zoë', 'François', 'Jürgen', 'Ñandú', 'Søren']);
  });

  test('csv: a target with one class only explains why AUC is undefined', async () => {
    await fresh();
    await h.page.getByTestId('csv-input').setInputFiles(committed('one-class.csv'));
    await h.page.waitForFunction(() => (window as unknown as W).loupe.data?.fileName === 'one-class.csv' && (window as unknown as W).loupe.scoring?.scored === 40, undefined, { timeout: 60_000 });
    await h.page
      .getByTestId('message-warning')
      .filter({ hasText: /one-class\.csv: the target 'Class' holds one class only \('Good'\), so AUC, ROC and precision-recall are undefined/ })
      .waitFor();
    await h.page.getByTestId('tab-quality').click();
    await h.page.getByText(/ROC undefined: only one class in the labels/).waitFor();
    expect(await h.page.getByText(/only one class in the labels/).count()).toBeGreaterThan(0);
    for (const view of ['fairness', 'scorecard', 'findings', 'predictions'] as const) {
      await h.page.getByTestId(`tab-${view}`).click();
      await h.page.waitForTimeout(300);
    }
    expect(h.pageErrors.filter((e) => !/onnxruntime/.test(e))).toEqual([]);
  });

  test('an exception inside onnxruntime during a run is reported, and the page recovers', async () => {
    await fresh();
    await h.page.getByTestId('model-input').setInputFiles(files.runFailsModel);
    await h.page
      .getByTestId('message-error')
      .filter({ hasText: /The model failed on rows 1-1,000: the Gather node 'Gather_picked' failed: indices element out of data bounds/ })
      .waitFor({ timeout: 60_000 });
    await idle(h);
    expect(await snapshot(h)).toEqual({ model: 'run-fails.onnx', data: GBT.csv, rows: 1000, scored: null, job: false });
    // The same worker still runs models: the sample model scores again.
    await h.page.getByTestId('model-input').setInputFiles(`static/samples/${GBT.model}`);
    await h.page.waitForFunction(() => (window as unknown as W).loupe.scoring?.scored === 1000, undefined, { timeout: 60_000 });
    expect(await snapshot(h)).toEqual(LOADED);
    await stillWorks('predictions');
  });

  test('onnxruntime running out of WebAssembly memory is reported, and the page recovers', async () => {
    await fresh();
    const t0 = Date.now();
    await h.page.getByTestId('model-input').setInputFiles(files.oomModel);
    await h.page
      .getByTestId('message-error')
      .filter({ hasText: /The model failed on row 1: onnxruntime-web ran out of memory inside WebAssembly/ })
      .waitFor({ timeout: 60_000 });
    console.log(`out of memory: message after ${Date.now() - t0} ms`);
    await idle(h);
    expect(await snapshot(h)).toEqual({ model: 'oom.onnx', data: GBT.csv, rows: 1000, scored: null, job: false });
    await h.page.getByTestId('model-input').setInputFiles(`static/samples/${GBT.model}`);
    await h.page.waitForFunction(() => (window as unknown as W).loupe.scoring?.scored === 1000, undefined, { timeout: 60_000 });
    expect(await snapshot(h)).toEqual(LOADED);
    await stillWorks('quality');
  });

  test('switching to another sample raises no mapping warning against the old CSV', async () => {
    await fresh();
    const other = SAMPLES.find((x) => x.id === 'penguins-species')!;
    await loadSample(h, other.id);
    expect(await snapshot(h)).toMatchObject({ model: other.model, data: other.csv, job: false });
    expect(await h.page.getByTestId('message-warning').count()).toBe(0);
    expect(await h.page.getByTestId('message-error').count()).toBe(0);
  });

  test('no page errors, and nothing left the origin', () => {
    // onnxruntime logs the failed run (the test above) to the worker's console; nothing else may appear.
    expect(h.pageErrors.filter((e) => !/\[E:onnxruntime:.*Gather_picked/.test(e))).toEqual([]);
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
