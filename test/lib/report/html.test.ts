import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildReport, reportJson } from '../../../src/lib/report/report';
import { escapeHtml, fmtMetric, inlineSvg, reportHtml, tableRows, REPORT_CSP, type ReportChart } from '../../../src/lib/report/html';
import { standaloneSvg } from '../../../src/lib/charts/export';
import { prepareModel } from '../../../src/lib/model/zipmap';
import { summarizeTable } from '../../../src/lib/analysis/data-summary';
import { summarizePredictions } from '../../../src/lib/analysis/predictions';
import { binaryLabels, binaryQuality, bootstrapBinary } from '../../../src/lib/analysis/quality';
import { latencyFigures } from '../../../src/lib/analysis/latency-figures';
import { parseCsv } from '../../../src/lib/data/csv';
import { hasSample, scoreSample } from '../analysis/quality/score-sample';

/** Every start tag of the document (text is escaped, so a raw `<` only opens a real tag). */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][\w-]*)\b[^>]*>/g)].map((m) => ({ name: m[1].toLowerCase(), text: m[0] }));

/** What a self-contained, script-free document must not hold. */
function expectSelfContained(html: string) {
  for (const t of tags(html)) {
    expect(['link', 'img', 'iframe', 'object', 'embed', 'base', 'form', 'audio', 'video', 'source', 'foreignobject', 'image']).not.toContain(t.name);
    expect(t.text).not.toMatch(/\son[a-z]+\s*=/i);
    for (const m of t.text.matchAll(/\s(?:xlink:)?(src|href|action)\s*=\s*["']?([^"'\s>]*)/gi)) expect(m[2]).toMatch(/^(#|data:)/);
    if (t.name === 'script') expect(t.text).toBe('<script type="application/json" id="loupe-report">');
  }
  expect(html.match(/<script\b/g)).toHaveLength(1);
  expect(html.match(/<\/script/g)).toHaveLength(1);
  expect(html).not.toMatch(/@import|url\(\s*['"]?(?!#)/i);
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
}

/** The embedded JSON data block, parsed. */
const embedded = (html: string) => JSON.parse(/<script type="application\/json" id="loupe-report">([\s\S]*?)<\/script>/.exec(html)![1]);
/** Text of the element marked with a report key. */
const keyed = (html: string, key: string) => new RegExp(`data-key="${key.replace(/\./g, '\\.')}">([^<]*)<`).exec(html)?.[1];

/** AUC by counting pairs (Mann–Whitney, ties ½), independent of the library's sorted sweep. */
function pairAuc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  const pos: number[] = [], neg: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i] === 1) pos.push(s[i]); else if (y[i] === 0) neg.push(s[i]);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

describe.runIf(hasSample('credit-gbt.onnx', 'credit.csv'))('HTML report of a real credit-gbt report', () => {
  let report: unknown, html = '', auc = 0;
  const chart: ReportChart = {
    section: 'Quality',
    title: 'ROC curve',
    svg: standaloneSvg('<svg viewBox="0 0 100 50" role="img"><path d="M0 50L100 0" stroke="#0072B2"/><text x="5" y="10">AUC</text></svg>', 100, 50, '#ffffff'),
  };

  beforeAll(async () => {
    const s = await scoreSample('credit-gbt.onnx', 'credit.csv', 'Bad');
    const prepared = prepareModel(new Uint8Array(readFileSync('static/samples/credit-gbt.onnx')), 'credit-gbt.onnx');
    const { report: file } = await parseCsv(readFileSync('static/samples/credit.csv', 'utf8'), { fileName: 'credit.csv' });
    const y = binaryLabels(s.rows.actual, s.mapping.positiveClass);
    const q = binaryQuality(y, s.rows.score, { threshold: 0.5 });
    const intervals = bootstrapBinary(y, s.rows.score, 0.5, { resamples: 50, seed: 7 });
    auc = pairAuc(y, s.rows.score);
    const lat = latencyFigures(
      [{ id: 'wasm-1', label: 'WebAssembly, 1 thread', available: true, reason: null, threads: 1, adapter: null, cold: null, loops: 1, loopNote: '', workerResolutionMs: 0.005,
        workerMs: Float64Array.from({ length: 101 }, (_, i) => 1 + i / 100), roundTripMs: Float64Array.from({ length: 101 }, (_, i) => 1.1 + i / 100), sweep: [], error: null }],
      { budgetMs: 50, longTasksMs: [] },
    );
    const built = buildReport({
      generatedAt: new Date('2026-05-06T07:08:09Z'),
      appVersion: '0.1.0',
      environment: null,
      model: { card: prepared.card, notices: prepared.notices, backend: 'wasm', sessionMs: 12 },
      data: { file, summary: summarizeTable(s.table) },
      mapping: { mapping: s.mapping, issues: [] },
      quality: { threshold: 0.5, binary: { atThreshold: q.atThreshold, roc: q.roc, pr: q.pr, logLoss: q.logLoss, brier: q.brier, calibration: q.calibration, intervals } },
      latency: { model: 'credit-gbt.onnx', settings: { batch: 1, warmup: 5, runs: 101, rows: 'csv' }, environment: null, figures: lat },
      scoring: { summary: summarizePredictions(s.pred, s.rows), backend: 'wasm', batchSize: 256, inferenceMs: 40, totalMs: 50, cancelled: false },
    });
    report = JSON.parse(reportJson(built));
    html = reportHtml({ report, charts: [chart], settings: { v: 1, view: 'quality', quality: { threshold: 0.5 } }, generatedAt: new Date('2026-05-06T07:08:09Z') });
  }, 60_000);

  test('a complete document with the sections present in the report', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    for (const id of ['model', 'data', 'quality', 'latency', 'charts', 'settings']) expect(html).toContain(`<section id="${id}">`);
    // Absent sections are left out, not drawn empty; no rows unless given.
    for (const id of ['fairness', 'drift', 'explanations', 'scorecard', 'rows']) expect(html).not.toContain(`<section id="${id}">`);
  });

  test('self-contained: CSP, no script to run, no external reference, no URL at all', () => {
    expectSelfContained(html);
    expect(html).not.toMatch(/https?:/);
  });

  test('holds the figures of the JSON report', () => {
    expect(embedded(html)).toEqual(report);
    expect(keyed(html, 'model.card.fileName')).toBe('credit-gbt.onnx');
    expect(keyed(html, 'data.file.fileName')).toBe('credit.csv');
    expect(keyed(html, 'model.card.family')).toBe('trees');
    expect(keyed(html, 'data.summary.rows')).toBe('1,000');
    // AUC as the report writes it, and equal to an independent pair count; its interval beside it.
    const text = keyed(html, 'quality.binary.roc.auc')!;
    expect(text.startsWith(auc.toFixed(3) + ' [')).toBe(true);
    const iv = (report as { quality: { binary: { intervals: { intervals: { auc: { lo: number; hi: number } } } } } }).quality.binary.intervals.intervals.auc;
    expect(text).toBe(`${auc.toFixed(3)} [${iv.lo.toFixed(3)}, ${iv.hi.toFixed(3)}]`);
    expect(iv.lo).toBeLessThanOrEqual(auc);
    expect(iv.hi).toBeGreaterThanOrEqual(auc);
    // Latency percentiles: p50 of 1.00..2.00 ms is 1.50 ms.
    expect(html).toMatch(/<td>WebAssembly, 1 thread<\/td><td>1\.50 ms<\/td><td>1\.95 ms<\/td>/);
  });

  test('charts inline as SVG, without XML prolog or namespace URL, grouped under their view', () => {
    expect(html).toContain('<h3>Quality</h3>');
    expect(html.match(/<svg\b/g)).toHaveLength(1);
    expect(html).toContain('<figcaption>ROC curve</figcaption>');
    expect(html).not.toContain('<?xml');
  });

  test('settings pretty-printed', () => {
    expect(html).toContain(escapeHtml(JSON.stringify({ v: 1, view: 'quality', quality: { threshold: 0.5 } }, null, 2)));
  });

  test('data rows only when given; capped with a note', async () => {
    const { table } = await parseCsv(readFileSync('static/samples/credit.csv', 'utf8'), { fileName: 'credit.csv' });
    const rows = tableRows(table, 100);
    expect(rows.rows).toHaveLength(100);
    expect(rows.header).toEqual(table.columns.map((c) => c.name));
    expect(rows.note).toMatch(/first 100 of 1,000 rows/);
    const withRows = reportHtml({ report, charts: [], settings: null, rows, generatedAt: '2026-05-06T07:08:09Z' });
    expect(withRows).toContain('<section id="rows">');
    // One table row per data row, plus the header row.
    const rowsPart = withRows.slice(withRows.indexOf('<section id="rows">'));
    expect(rowsPart.match(/<tr>/g)).toHaveLength(101);
    // The first CSV line's cells, read independently of the parser.
    const first = readFileSync('static/samples/credit.csv', 'utf8').split(/\r?\n/)[1].split(',');
    expect(rowsPart).toContain(first.map((c) => `<td${/^-?[\d.]+$/.test(c) ? ' class="num"' : ''}>${escapeHtml(String(/^-?[\d.]+$/.test(c) ? Number(c) : c))}</td>`).join(''));
    expectSelfContained(withRows);
    expect(tableRows(table).rows).toHaveLength(1000);
    expect(tableRows(table).note).toMatch(/All 1,000 rows/);
  });
});

describe('escaping and robustness', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const report = {
    generator: { version: '"><img src=x onerror=alert(3)>' },
    model: { card: { fileName: evil, family: 'trees', opHistogram: { [evil]: 2 }, metadata: { [evil]: evil }, inputs: [{ name: evil, kind: 'tensor', elemType: 'float', shape: [null, 3] }], outputs: [], opsets: [] }, notices: [evil] },
    data: { file: { fileName: `${evil}.csv` }, summary: { rows: 2, columns: 1, rowsWithMissing: 0, byColumn: [{ name: evil, kind: 'categorical', missing: 0, distinct: 2, top: [{ value: evil, count: 1 }] }] } },
    fairness: { blocked: evil },
    scorecard: {
      metric: { name: 'AUC', higherIsBetter: true },
      stakeholders: [{ id: 'pm', role: evil, objective: 'p95 latency', constraint: { enabled: true, limit: 5 }, weight: 1 }],
      candidates: [
        { name: evil, fileName: 'a.onnx', family: 'linear', sizeBytes: 1000, parameters: 10, ops: 3, opTypes: ['Add'], featuresUsed: 4, metric: { value: 0.8, low: 0.75, high: 0.85 }, latency: null, fairnessGap: 0.1, expectedValue: -0.5, passes: false, failed: [evil], score: 0.4 },
      ],
      pareto: [evil],
      disagreement: evil,
      complexity: [{ sentence: evil }],
    },
    quality: { threshold: 'x', binary: { roc: { auc: { value: null, reason: evil } } } },
  };
  const charts: ReportChart[] = [
    { section: evil, title: evil, svg: `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(4)"><script>alert(5)</script><a href="https://example.com/x"><text>t</text></a><image xlink:href="http://example.com/i.png"/><rect fill="url(http://example.com/#g)" style="fill:url(#ok)"/></svg>` },
  ];
  const html = reportHtml({ report, charts, settings: { note: '</script><script>alert(6)</script>' }, rows: { header: [evil], rows: [[evil], [null]] }, generatedAt: new Date(0) });

  test('no markup from the report survives as markup', () => {
    expectSelfContained(html);
    expect(html).not.toMatch(/https?:/);
    expect(html).toContain(escapeHtml(evil));
    for (const n of [1, 2, 3, 4, 5, 6]) expect(html).not.toMatch(new RegExp(`<[^>]*alert\\(${n}\\)`));
    // The fragment reference inside the SVG stays.
    expect(html).toContain('url(#ok)');
  });

  test('the embedded JSON cannot close its block and still parses to the report', () => {
    expect(embedded(html)).toEqual(report);
  });

  test('scorecard rendered from its shape; missing pieces read as dashes', () => {
    expect(html).toContain('<section id="scorecard">');
    expect(html).toContain('0.800 [0.750, 0.850]');
    expect(html).toContain(`no (${escapeHtml(evil)})`);
    expect(keyed(html, 'quality.binary.roc.auc')).toBe(`— (${escapeHtml(evil)})`);
    expect(keyed(html, 'quality.threshold')).toBe('—');
  });

  test('disagreement: the rows in words and a table by pair', () => {
    const sc = { ...report.scorecard, disagreement: { rows: 123, rate: 0.123, pairs: [{ a: evil, b: 'b', rows: 77 }] } };
    const h = reportHtml({ report: { scorecard: sc }, charts: [], settings: undefined, generatedAt: new Date(0) });
    expect(keyed(h, 'scorecard.disagreement.rows')).toBe("The models' predicted labels differ on 123 rows (12.3%).");
    expect(h).toContain(`<tr><td>${escapeHtml(evil)}</td><td>b</td><td class="num">77</td></tr>`);
    expectSelfContained(h);
  });

  test('anything at all as a report: no throw', () => {
    for (const r of [null, undefined, 42, 'text', [], { model: 7, quality: [], scorecard: { candidates: 'x' } }, { latency: { figures: { backends: [null, 3] } } }]) {
      const h = reportHtml({ report: r, charts: [], settings: undefined, generatedAt: new Date(0) });
      expect(h).toContain('<h1>Loupe report</h1>');
      expectSelfContained(h);
    }
  });
});

describe('helpers', () => {
  test('fmtMetric: value, interval, reason', () => {
    expect(fmtMetric({ value: 0.81234, reason: null }, { lo: 0.8, hi: 0.825 })).toBe('0.812 [0.800, 0.825]');
    expect(fmtMetric(0.5)).toBe('0.500');
    expect(fmtMetric({ value: null, reason: 'one class' })).toBe('— (one class)');
    expect(fmtMetric({ value: 0.5, reason: null }, { lo: null, hi: null })).toBe('0.500');
  });

  test('inlineSvg keeps the drawing and drops the prolog, namespaces and handlers', () => {
    const out = inlineSvg(standaloneSvg('<svg viewBox="0 0 1 1" onclick="x()"><circle r="1"/></svg>', 1, 1, '#fff'));
    expect(out).toBe('<svg width="1" height="1" viewBox="0 0 1 1"><rect width="100%" height="100%" fill="#fff"/><circle r="1"/></svg>');
  });

  test('escapeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
