/**
 * The HTML report: one self-contained document (inline CSS, inline SVG, no script, no external
 * reference) holding the report JSON's headline figures, every chart, the settings used and, only when
 * asked, the data rows. The JSON report itself is embedded as a non-executed data block
 * (`<script type="application/json" id="loupe-report">`) so the figures stay machine-readable.
 * Every text from the report (file names, column names, model metadata) is escaped.
 */
import { cellText, type Table } from '../data/table';

/** The document's Content-Security-Policy: nothing may load; inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Rows written into the HTML report when the user asks for them (a note says when more exist). */
export const MAX_REPORT_ROWS = 5000;

export interface ReportChart {
  /** The view the chart belongs to ('Quality', 'Fairness', ...). */
  section: string;
  title: string;
  /** Standalone SVG markup (as `standaloneSvg` makes it). */
  svg: string;
}

export interface ReportRows {
  header: string[];
  rows: (string | number | null)[][];
  /** Rows in the file (more than `rows.length` when capped). */
  total?: number;
  /** Shown above the table (e.g. "first 5,000 of 12,000 rows"). */
  note?: string;
}

export interface HtmlReportInput {
  /** The parsed JSON report (`JSON.parse(session.reportText())`). */
  report: unknown;
  charts: ReportChart[];
  settings: unknown;
  rows?: ReportRows | null;
  generatedAt: Date | string;
}

type Obj = Record<string, unknown>;
type Cell = string | number | boolean | null | undefined;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `o.a.b.c` or undefined, never a throw. */
function at(o: unknown, path: string): unknown {
  let v = o;
  for (const k of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(k)) v = v[Number(k)];
    else if (isObj(v)) v = v[k];
    else return undefined;
  }
  return v;
}
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** Text safe inside an HTML element or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const e = (v: unknown): string => escapeHtml(v === null || v === undefined ? '' : String(v));

/** A number as the report shows it: `digits` decimals (3 by default), '—' when absent. */
export function fmtNumber(v: unknown, digits = 3): string {
  const n = num(v);
  return n === null ? '—' : n.toFixed(digits);
}

/** A `{ value, reason }` metric (or a bare number) with its `{ lo, hi }` interval when given. */
export function fmtMetric(metric: unknown, interval?: unknown, digits = 3): string {
  const v = isObj(metric) ? metric.value : metric;
  if (num(v) === null) {
    const reason = isObj(metric) ? str(metric.reason) : null;
    return reason ? `— (${reason})` : '—';
  }
  const lo = num(at(interval, 'lo')), hi = num(at(interval, 'hi'));
  return lo !== null && hi !== null ? `${fmtNumber(v, digits)} [${fmtNumber(lo, digits)}, ${fmtNumber(hi, digits)}]` : fmtNumber(v, digits);
}

function fmtMs(v: unknown): string {
  const ms = num(v);
  if (ms === null) return '—';
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  return ms < 10 ? `${ms.toPrecision(3)} ms` : `${ms.toFixed(1)} ms`;
}
const pct = (v: unknown) => (num(v) === null ? '—' : `${((v as number) * 100).toFixed(1)}%`);
const int = (v: unknown) => (num(v) === null ? '—' : Math.round(v as number).toLocaleString('en-US'));

/** A definition list of label → already-formatted text; `key` marks the report key for machine checks. */
function facts(items: [label: string, text: string | null, key?: string][]): string {
  const rows = items.filter(([, t]) => t !== null && t !== '');
  if (!rows.length) return '';
  return `<dl class="facts">${rows.map(([l, t, k]) => `<dt>${e(l)}</dt><dd${k ? ` data-key="${e(k)}"` : ''}>${e(t)}</dd>`).join('')}</dl>`;
}

/** A table; numbers are rounded to 5 significant digits unless `exact` (data rows). */
function table(header: string[], rows: Cell[][], caption?: string, exact = false): string {
  if (!rows.length) return '';
  const cell = (c: Cell) =>
    typeof c === 'number' ? `<td class="num">${e(exact || Number.isInteger(c) ? c : +c.toPrecision(5))}</td>` : `<td>${e(c ?? (exact ? '' : '—'))}</td>`;
  return `<table>${caption ? `<caption>${e(caption)}</caption>` : ''}<thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const section = (id: string, title: string, body: string) => (body.trim() ? `<section id="${id}"><h2>${e(title)}</h2>${body}</section>` : '');

/**
 * SVG markup made safe to inline in the report: no XML prolog or namespace declarations (inline SVG
 * in HTML needs neither), no script, no event handler, no reference outside the document.
 */
export function inlineSvg(markup: string): string {
  return markup
    .replace(/^\s*<\?xml[^>]*>\s*/, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<\/?(script|foreignObject|image|iframe)\b[^>]*>/gi, '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s+(xlink:)?href\s*=\s*("(?!#|data:)[^"]*"|'(?!#|data:)[^']*')/gi, '')
    .replace(/url\((?!\s*['"]?#)[^)]*\)/gi, 'none');
}

function header(r: unknown, generatedAt: string): string {
  const env = at(r, 'environment');
  const webgpu = at(env, 'webgpu');
  return `<header><h1>Loupe report</h1>${facts([
    ['Model file', str(at(r, 'model.card.fileName')), 'model.card.fileName'],
    ['Data file', str(at(r, 'data.file.fileName')), 'data.file.fileName'],
    ['Generated', generatedAt, 'generator.generatedAt'],
    ['Loupe version', str(at(r, 'generator.version')), 'generator.version'],
    ['Browser', str(at(env, 'userAgent'))],
    ['onnxruntime-web', str(at(env, 'ortVersion'))],
    [
      'Environment',
      isObj(env)
        ? `${int(env.hardwareConcurrency)} logical cores; cross-origin isolated: ${env.crossOriginIsolated ? 'yes' : 'no'}; wasm threads: ${int(env.wasmThreads)}; WebGPU: ${
            at(webgpu, 'available') ? (str(at(webgpu, 'adapter')) ?? 'available') : `unavailable${str(at(webgpu, 'reason')) ? ` (${str(at(webgpu, 'reason'))})` : ''}`
          }`
        : null,
    ],
  ])}<p class="note">A self-contained export: it loads nothing, runs no script, and holds no data rows unless they were asked for.</p></header>`;
}

function modelCard(r: unknown): string {
  const card = at(r, 'model.card');
  if (!isObj(card)) return '';
  const sig = (list: unknown) =>
    arr(list).map((s) => [str(at(s, 'name')), str(at(s, 'kind')), str(at(s, 'elemType')), arr(at(s, 'shape')).map((d) => (d === null ? '?' : String(d))).join(' × ')]);
  const ops = Object.entries(isObj(card.opHistogram) ? card.opHistogram : {}).sort((a, b) => Number(b[1]) - Number(a[1]));
  const meta = Object.entries(isObj(card.metadata) ? card.metadata : {});
  const m = at(r, 'mapping.mapping');
  const classes = arr(at(m, 'classes')).map(String);
  const pos = num(at(m, 'positiveClass'));
  return section(
    'model',
    'Model card',
    facts([
      ['File', str(card.fileName), 'model.card.fileName'],
      ['Size', num(card.fileBytes) === null ? null : `${int(card.fileBytes)} bytes`, 'model.card.fileBytes'],
      ['Family', str(card.family), 'model.card.family'],
      ['Parameters', int(card.parameterCount), 'model.card.parameterCount'],
      ['Nodes', int(card.nodeCount), 'model.card.nodeCount'],
      ['Producer', [str(card.producerName), str(card.producerVersion)].filter(Boolean).join(' ') || null],
      ['IR version', str(card.irVersion)],
      ['Opsets', arr(card.opsets).map((o) => `${str(at(o, 'domain')) || 'ai.onnx'} ${str(at(o, 'version'))}`).join(', ') || null],
      ['Graph', str(card.graphName)],
      ['Description', str(card.docString)],
      ['Class labels', arr(card.classLabels).map(String).join(', ') || null],
      ['Backend', str(at(r, 'model.backend'))],
      ['Session created in', num(at(r, 'model.sessionMs')) === null ? null : fmtMs(at(r, 'model.sessionMs'))],
      ['Task', str(at(m, 'task')), 'mapping.mapping.task'],
      ['Target', str(at(m, 'target')), 'mapping.mapping.target'],
      ['Classes', classes.join(', ') || null],
      ['Positive class', pos !== null && classes[pos] !== undefined ? classes[pos] : null],
    ]) +
      table(['input', 'kind', 'type', 'shape'], sig(card.inputs), 'Inputs') +
      table(['output', 'kind', 'type', 'shape'], sig(card.outputs), 'Outputs') +
      table(['operator', 'nodes'], ops.map(([k, v]) => [k, num(v)]), 'Operators') +
      table(['key', 'value'], meta.map(([k, v]) => [k, str(v)]), 'Metadata') +
      list(arr(at(r, 'model.notices')).map(String), 'Notices') +
      list(arr(at(r, 'mapping.issues')).map((i) => `${str(at(i, 'level'))}: ${str(at(i, 'message'))}`), 'Mapping issues'),
  );
}

function list(items: string[], title: string): string {
  return items.length ? `<h3>${e(title)}</h3><ul>${items.map((t) => `<li>${e(t)}</li>`).join('')}</ul>` : '';
}

function data(r: unknown): string {
  const s = at(r, 'data.summary');
  const p = at(r, 'predictions');
  const cols = arr(at(s, 'byColumn')).map((c) => [
    str(at(c, 'name')),
    str(at(c, 'kind')),
    num(at(c, 'missing')),
    num(at(c, 'distinct')),
    num(at(c, 'min')),
    num(at(c, 'max')),
    num(at(c, 'mean')),
    arr(at(c, 'top')).map((t) => `${str(at(t, 'value'))} (${str(at(t, 'count'))})`).join(', ') || null,
  ]);
  return section(
    'data',
    'Data and predictions',
    facts([
      ['File', str(at(r, 'data.file.fileName')), 'data.file.fileName'],
      ['Rows', int(at(s, 'rows')), 'data.summary.rows'],
      ['Columns', int(at(s, 'columns')), 'data.summary.columns'],
      ['Rows with a missing value', int(at(s, 'rowsWithMissing')), 'data.summary.rowsWithMissing'],
      ['Rows scored', isObj(p) ? int(at(p, 'summary.scored')) : null, 'predictions.summary.scored'],
      ['Labelled rows', isObj(p) ? int(at(p, 'summary.labelled')) : null, 'predictions.summary.labelled'],
      ['Accuracy (model labels)', isObj(p) && num(at(p, 'summary.accuracy')) !== null ? fmtNumber(at(p, 'summary.accuracy')) : null, 'predictions.summary.accuracy'],
      ['Scoring', isObj(p) ? `${str(p.backend)}, batch ${int(p.batchSize)}, ${fmtMs(p.inferenceMs)} inference, ${int(p.rowsPerSecond)} rows/s` : null],
    ]) + table(['column', 'kind', 'missing', 'distinct', 'min', 'max', 'mean', 'most frequent'], cols, 'Columns'),
  );
}

function quality(r: unknown): string {
  const q = at(r, 'quality');
  if (!isObj(q)) return '';
  const b = q.binary, m = q.multiclass, g = q.regression;
  let body = '';
  if (isObj(b)) {
    const iv = (k: string) => at(b, `intervals.intervals.${k}`);
    const t = at(b, 'atThreshold');
    body += facts([
      ['Threshold', fmtNumber(q.threshold), 'quality.threshold'],
      ['AUC', fmtMetric(at(b, 'roc.auc'), iv('auc')), 'quality.binary.roc.auc'],
      ['Accuracy', fmtMetric(at(t, 'accuracy'), iv('accuracy')), 'quality.binary.atThreshold.accuracy'],
      ['F1', fmtMetric(at(t, 'f1'), iv('f1')), 'quality.binary.atThreshold.f1'],
      ['Precision', fmtMetric(at(t, 'precision')), 'quality.binary.atThreshold.precision'],
      ['Recall', fmtMetric(at(t, 'recall')), 'quality.binary.atThreshold.recall'],
      ['Balanced accuracy', fmtMetric(at(t, 'balancedAccuracy'))],
      ['Average precision', fmtMetric(at(b, 'pr.averagePrecision'))],
      ['Log loss', fmtMetric(at(b, 'logLoss'), iv('logLoss')), 'quality.binary.logLoss'],
      ['Brier score', fmtMetric(at(b, 'brier')), 'quality.binary.brier'],
      ['Calibration error (ECE)', fmtMetric(at(b, 'calibration.ece')), 'quality.binary.calibration.ece'],
      ['Expected value per row', fmtMetric(at(b, 'expectedValuePerRow')), 'quality.binary.expectedValuePerRow'],
      ['Outcome values', isObj(q.outcomeValues) ? ['tp', 'fp', 'tn', 'fn'].map((k) => `${k.toUpperCase()} ${str(at(q.outcomeValues, k))}`).join(', ') : null],
      ['Intervals', num(at(b, 'intervals.resamples')) !== null ? `${pct(at(b, 'intervals.level'))} bootstrap, ${int(at(b, 'intervals.resamples'))} resamples of ${int(at(b, 'intervals.rows'))} rows` : null],
    ]);
    const c = at(t, 'confusion');
    if (isObj(c)) body += table(['', 'predicted positive', 'predicted negative'], [['actual positive', num(c.tp), num(c.fn)], ['actual negative', num(c.fp), num(c.tn)]], 'Confusion at the threshold');
  }
  if (isObj(m)) {
    const iv = (k: string) => at(m, `intervals.intervals.${k}`);
    body += facts([
      ['Accuracy', fmtMetric(m.accuracy, iv('accuracy')), 'quality.multiclass.accuracy'],
      ['Macro F1', fmtMetric(at(m, 'macro.f1'), iv('macroF1')), 'quality.multiclass.macro.f1'],
      ['Weighted F1', fmtMetric(at(m, 'weighted.f1'))],
      ['Log loss', fmtMetric(m.logLoss), 'quality.multiclass.logLoss'],
    ]);
    const classes = arr(m.classes).map(String);
    body += table(
      ['class', 'precision', 'recall', 'F1', 'support'],
      arr(m.perClass).map((p, k) => [classes[k] ?? String(k), fmtMetric(at(p, 'precision')), fmtMetric(at(p, 'recall')), fmtMetric(at(p, 'f1')), num(at(p, 'support'))]),
      'Per class',
    );
  }
  if (isObj(g)) {
    const iv = (k: string) => at(g, `intervals.intervals.${k}`);
    body += facts([
      ['MAE', fmtMetric(g.mae, iv('mae')), 'quality.regression.mae'],
      ['RMSE', fmtMetric(g.rmse, iv('rmse')), 'quality.regression.rmse'],
      ['R²', fmtMetric(g.r2, iv('r2')), 'quality.regression.r2'],
      ['MAPE', fmtMetric(at(g, 'mape.value') ?? g.mape)],
      ['Mean residual', fmtMetric(g.meanResidual)],
    ]);
  }
  const leaves = arr(at(q, 'errorTree.nodes'))
    .filter((n) => arr(at(n, 'children')).length === 0)
    .sort((a, b) => (num(at(b, 'meanError')) ?? 0) - (num(at(a, 'meanError')) ?? 0))
    .slice(0, 5)
    .map((n) => [arr(at(n, 'path')).map(String).join(' and ') || 'all rows', num(at(n, 'n')), fmtNumber(at(n, 'meanError'))]);
  body += table(['error tree leaf', 'rows', 'mean error'], leaves, 'Where the model errs most');
  return section('quality', 'Quality', body);
}

const MEASURES: Record<string, string> = {
  demographicParityDifference: 'Demographic parity difference',
  demographicParityRatio: 'Demographic parity ratio',
  equalOpportunityDifference: 'Equal opportunity difference',
  equalizedOddsDifference: 'Equalized odds difference',
  predictiveParityDifference: 'Predictive parity difference',
  calibrationGapDifference: 'Calibration gap difference',
};

function fairness(r: unknown): string {
  const f = at(r, 'fairness');
  if (!isObj(f)) return '';
  const blocked = str(f.blocked);
  if (blocked) return section('fairness', 'Fairness', `<p>${e(blocked)}</p>`);
  const groups = arr(at(f, 'groups.groups'));
  const labels = groups.map((g) => str(at(g, 'label')) ?? '');
  const measures = Object.entries(isObj(at(f, 'disparities.measures')) ? (at(f, 'disparities.measures') as Obj) : {});
  const body =
    facts([
      ['Judged', str(at(f, 'settings.judged')), 'fairness.settings.judged'],
      ['Favourable prediction', str(at(f, 'settings.favorable'))],
      ['Minimum group size', int(at(f, 'settings.minSize'))],
      ['Threshold', fmtNumber(at(f, 'settings.threshold'))],
    ]) +
    table(
      ['measure', 'worst group', 'value [interval]', 'flagged'],
      measures.map(([k, v]) => {
        const w = at(v, 'worst');
        const gi = num(at(w, 'group'));
        return [MEASURES[k] ?? k, gi !== null ? (labels[gi] ?? String(gi)) : '—', fmtMetric(at(w, 'value'), at(w, 'interval')), at(w, 'flagged') ? 'yes' : 'no'];
      }),
      'Disparities (worst group against the reference)',
    ) +
    table(
      ['group', 'rows', 'selection rate', 'TPR', 'FPR', 'precision', 'accuracy'],
      groups.map((g) => [
        `${str(at(g, 'label'))}${at(g, 'tooSmall') ? ' (too small)' : ''}`,
        num(at(g, 'n')),
        fmtMetric(at(g, 'selectionRate')),
        fmtMetric(at(g, 'tpr')),
        fmtMetric(at(g, 'fpr')),
        fmtMetric(at(g, 'precision')),
        fmtMetric(at(g, 'accuracy')),
      ]),
      'Groups at the threshold',
    ) +
    table(
      ['strategy', 'rules', 'accuracy', 'value per row'],
      arr(f.strategies).map((s) => [str(at(s, 'strategy')), arr(at(s, 'rulesText')).map(String).join('; '), fmtMetric(at(s, 'accuracy')), fmtMetric(at(s, 'value'))]),
      'Threshold strategies',
    ) +
    table(
      ['feature', 'normalised MI', 'consumed by the model'],
      arr(at(f, 'proxies.features')).slice(0, 5).map((p) => [str(at(p, 'column')), fmtNumber(at(p, 'normalized')), at(p, 'consumed') ? 'yes' : 'no']),
      'Strongest proxies of the sensitive attribute',
    );
  return section('fairness', 'Fairness', body);
}

function drift(r: unknown): string {
  const d = at(r, 'dataQuality');
  if (!isObj(d)) return '';
  const counts = at(d, 'rowProblems.counts');
  const feats = arr(at(d, 'drift.features'));
  let body = facts([
    ['Profiled', at(d, 'profiled.file') ? `${str(at(d, 'profiled.file'))} (${int(at(d, 'profiled.rows'))} rows)` : null],
    ['Rows with a problem', isObj(counts) ? `${int(counts.any)} (missing ${int(counts.missing)}, outlier ${int(counts.outlier)}, unseen ${int(counts.unseen)})` : null, 'dataQuality.rowProblems.counts.any'],
    ['Duplicate rows', isObj(d.duplicates) ? int(at(d, 'duplicates.count')) : null, 'dataQuality.duplicates.count'],
    ['Constant columns', arr(d.constantColumns).map((c) => str(at(c, 'name'))).join(', ') || null],
    ['Suspicious labels', isObj(d.labelHints) ? `${int(at(d, 'labelHints.count'))} of ${int(at(d, 'labelHints.judged'))} judged` : null],
    ['Missing values', str(at(d, 'preparation.strategy'))],
    ['Current file', at(d, 'current.file') ? `${str(at(d, 'current.file'))} (${int(at(d, 'current.rows'))} rows)` : null, 'dataQuality.current.file'],
    [
      'Drifted features',
      isObj(at(d, 'drift.counts')) ? `${int(at(d, 'drift.counts.major'))} major, ${int(at(d, 'drift.counts.moderate'))} moderate, ${int(at(d, 'drift.counts.none'))} none` : null,
      'dataQuality.drift.counts',
    ],
    ['Score drift (PSI)', num(at(d, 'predictionDrift.score.psi')) !== null ? fmtNumber(at(d, 'predictionDrift.score.psi')) : null],
  ]);
  body += table(
    ['feature', 'PSI', 'severity', 'KS p-value', 'mean (reference → current)'],
    feats.slice(0, 15).map((f) => [
      str(at(f, 'name')),
      fmtNumber(at(f, 'psi')),
      str(at(f, 'severity')),
      num(at(f, 'ks.pValue')) !== null ? fmtNumber(at(f, 'ks.pValue'), 4) : '—',
      num(at(f, 'mean.ref')) !== null ? `${fmtNumber(at(f, 'mean.ref'))} → ${fmtNumber(at(f, 'mean.cur'))}` : '—',
    ]),
    'Feature drift (PSI, largest first)',
  );
  body += table(
    ['metric', 'reference', 'current', 'change'],
    arr(at(d, 'metricChanges.changes')).map((c) => [str(at(c, 'name')), fmtMetric(at(c, 'ref')), fmtMetric(at(c, 'cur')), fmtMetric(at(c, 'change'))]),
    'Quality, reference against current',
  );
  body += table(
    ['measure', 'reference', 'current', 'change'],
    arr(at(d, 'fairnessChanges.changes')).map((c) => [MEASURES[str(at(c, 'name')) ?? ''] ?? str(at(c, 'name')), fmtMetric(at(c, 'ref')), fmtMetric(at(c, 'cur')), fmtMetric(at(c, 'change'))]),
    'Worst fairness gaps, reference against current',
  );
  body += list(arr(at(d, 'whatCanBeJudged.cannot')).map(String), 'What cannot be judged');
  return section('drift', 'Data quality and drift', body);
}

function latency(r: unknown): string {
  const l = at(r, 'latency');
  if (!isObj(l)) return '';
  const rows = arr(at(l, 'figures.backends'))
    .filter((b) => at(b, 'available') && at(b, 'worker'))
    .map((b) => {
      const best = at(b, 'best');
      return [
        str(at(b, 'label')),
        fmtMs(at(b, 'worker.p50')),
        fmtMs(at(b, 'worker.p95')),
        fmtMs(at(b, 'worker.p99')),
        fmtMs(at(b, 'roundTrip.p50')),
        fmtMs(at(b, 'roundTrip.p95')),
        fmtMs(at(b, 'cold.totalMs')),
        isObj(best) ? `batch ${int(best.batch)}: ${int(best.rowsPerSec)} rows/s` : '—',
      ];
    });
  const unavailable = arr(at(l, 'figures.backends'))
    .filter((b) => !at(b, 'available') || at(b, 'error'))
    .map((b) => `${str(at(b, 'label'))}: ${str(at(b, 'error')) ?? str(at(b, 'reason')) ?? 'not measured'}`);
  const st = at(l, 'settings');
  return section(
    'latency',
    'Latency',
    facts([
      ['Model measured', str(l.model)],
      ['Protocol', isObj(st) ? `batch ${int(st.batch)}, ${int(st.warmup)} warm-up + ${int(st.runs)} timed runs, rows: ${str(st.rows)}` : null],
      ['p95 budget', fmtMs(at(l, 'figures.budgetMs')), 'latency.figures.budgetMs'],
      ['Long tasks on the page', num(at(l, 'figures.longTasks.count')) !== null ? `${int(at(l, 'figures.longTasks.count'))}` : null],
    ]) +
      table(['backend', 'p50', 'p95', 'p99', 'round trip p50', 'round trip p95', 'cold start', 'best throughput within budget'], rows, 'Per run (in the worker unless noted)') +
      list(unavailable, 'Not measured'),
  );
}

function explanations(r: unknown): string {
  const x = at(r, 'explanations');
  if (!isObj(x)) return '';
  const local = at(x, 'local');
  const attrs = Object.entries(isObj(at(local, 'attributions')) ? (at(local, 'attributions') as Obj) : {})
    .sort((a, b) => Math.abs(num(b[1]) ?? 0) - Math.abs(num(a[1]) ?? 0))
    .slice(0, 10);
  const shap = Object.entries(isObj(at(x, 'shapSummary.meanAbs')) ? (at(x, 'shapSummary.meanAbs') as Obj) : {})
    .sort((a, b) => (num(b[1]) ?? 0) - (num(a[1]) ?? 0))
    .slice(0, 10);
  return section(
    'explanations',
    'Explanations',
    facts([
      ['Explainer', str(at(x, 'setup.method')), 'explanations.setup.method'],
      ['Space', str(at(x, 'setup.space'))],
      ['Explained class', str(at(x, 'setup.explainedClass'))],
      ['Explained row', isObj(local) ? `row ${int(local.row)}: base ${fmtNumber(local.base)}, output ${fmtNumber(local.output)}, prediction ${fmtNumber(local.prediction)}` : null],
      ['Permutation metric', str(at(x, 'permutation.metric'))],
    ]) +
      table(['feature', 'attribution'], attrs.map(([k, v]) => [k, fmtNumber(v, 4)]), 'Attributions of the explained row') +
      table(['feature', 'importance', 'sd'], arr(at(x, 'permutation.features')).slice(0, 10).map((f) => [str(at(f, 'feature')), fmtNumber(at(f, 'importance'), 4), fmtNumber(at(f, 'sd'), 4)]), 'Permutation importance') +
      table(['feature', 'mean |SHAP|'], shap.map(([k, v]) => [k, fmtNumber(v, 4)]), 'Global importance (SHAP)') +
      table(
        ['changes', 'distance', 'score'],
        arr(at(x, 'counterfactuals.counterfactuals')).map((c) => [
          arr(at(c, 'changes')).map((ch) => `${str(at(ch, 'column'))}: ${str(at(ch, 'from'))} → ${str(at(ch, 'to'))}`).join('; '),
          fmtNumber(at(c, 'distance')),
          fmtNumber(at(c, 'score')),
        ]),
        'Counterfactuals',
      ),
  );
}

function scorecard(r: unknown): string {
  const s = at(r, 'scorecard');
  if (!isObj(s)) return '';
  const higher = at(s, 'metric.higherIsBetter') !== false;
  const pareto = new Set(arr(s.pareto).map(String));
  const candidates = arr(s.candidates).map((c) => {
    const lat = at(c, 'latency');
    const name = str(at(c, 'name')) ?? '';
    return [
      name,
      str(at(c, 'family')),
      fmtMetric(at(c, 'metric.value'), { lo: at(c, 'metric.low'), hi: at(c, 'metric.high') }),
      isObj(lat) ? fmtMs(lat.p50Ms) : '—',
      isObj(lat) ? fmtMs(lat.p95Ms) : '—',
      isObj(lat) && num(lat.bestThroughput) !== null ? `${int(lat.bestThroughput)} rows/s (batch ${int(lat.bestBatch)})` : '—',
      num(at(c, 'sizeBytes')),
      num(at(c, 'parameters')),
      num(at(c, 'ops')),
      num(at(c, 'featuresUsed')),
      fmtNumber(at(c, 'fairnessGap')),
      fmtNumber(at(c, 'expectedValue')),
      at(c, 'passes') ? 'yes' : `no${arr(at(c, 'failed')).length ? ` (${arr(at(c, 'failed')).map(String).join(', ')})` : ''}`,
      fmtNumber(at(c, 'score')),
      pareto.has(name) ? 'yes' : '',
    ] as Cell[];
  });
  const stakeholders = arr(s.stakeholders).map((k) => [
    str(at(k, 'role')) ?? str(at(k, 'id')),
    str(at(k, 'objective')),
    at(k, 'constraint.enabled') ? `limit ${str(at(k, 'constraint.limit'))}` : 'off',
    num(at(k, 'weight')),
  ]);
  const disagreement = s.disagreement;
  return section(
    'scorecard',
    'Scorecard',
    facts([['Quality metric', str(at(s, 'metric.name')) ? `${str(at(s, 'metric.name'))} (${higher ? 'higher' : 'lower'} is better)` : null, 'scorecard.metric.name']]) +
      table(['model', 'family', 'metric [interval]', 'p50', 'p95', 'best throughput', 'bytes', 'parameters', 'ops', 'features', 'fairness gap', 'expected value', 'passes', 'score', 'Pareto'], candidates, 'Models side by side') +
      table(['stakeholder', 'objective', 'constraint', 'weight'], stakeholders, 'Stakeholders') +
      (isObj(disagreement) && num(disagreement.rows) !== null
        ? `<p data-key="scorecard.disagreement.rows">The models' predicted labels differ on ${e(int(disagreement.rows))} rows (${e(fmtNumber(num(disagreement.rate) !== null ? (num(disagreement.rate) as number) * 100 : null, 1))}%).</p>` +
          table(['model', 'model', 'rows where they differ'], arr(disagreement.pairs).map((p) => [str(at(p, 'a')), str(at(p, 'b')), num(at(p, 'rows'))]), 'Disagreement by pair')
        : '') +
      list(arr(s.complexity).map((c) => str(at(c, 'sentence')) ?? '').filter(Boolean), 'Is the complexity justified?'),
  );
}

function charts(list: ReportChart[]): string {
  if (!list.length) return '';
  const bySection = new Map<string, ReportChart[]>();
  for (const c of list) bySection.set(c.section, [...(bySection.get(c.section) ?? []), c]);
  let body = `<p class="note">${list.length} charts, as drawn in the page.</p>`;
  for (const [name, cs] of bySection) {
    body += `<h3>${e(name)}</h3><div class="charts">${cs
      .map((c) => {
        const svg = inlineSvg(c.svg);
        // Never wider than 1.5× the design size, as in the page (text stays readable).
        const w = Number(/^<svg\b[^>]*?\swidth="(\d+(?:\.\d+)?)"/.exec(svg)?.[1]);
        return `<figure>${w > 0 ? svg.replace(/^<svg\b/, `<svg style="max-width:${Math.round(w * 1.5)}px"`) : svg}<figcaption>${e(c.title)}</figcaption></figure>`;
      })
      .join('')}</div>`;
  }
  return section('charts', 'Charts', body);
}

function rowsSection(rows: ReportRows | null | undefined): string {
  if (!rows) return '';
  const note = rows.note ?? (rows.total !== undefined && rows.total > rows.rows.length ? `The first ${int(rows.rows.length)} of ${int(rows.total)} rows.` : `${int(rows.rows.length)} rows.`);
  return `<section id="rows"><h2>Data rows</h2><p class="note">${e(note)}</p><div class="scroll">${table(rows.header, rows.rows, undefined, true) || '<p>No rows.</p>'}</div></section>`;
}

const CSS = `
:root{color-scheme:light;--ink:#1d2430;--muted:#5b6576;--line:#d9dee6;--accent:#0072B2}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;max-width:1200px;padding:1.5rem}
h1{margin:0 0 .5rem;font-size:1.6rem}h2{border-bottom:2px solid var(--accent);padding-bottom:.2rem;margin-top:2rem}h3{margin:1.2rem 0 .4rem}
nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}.facts dt{color:var(--muted)}.facts dd{margin:0;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border-bottom:1px solid var(--line);padding:.2rem .6rem;text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:var(--muted)}.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:1rem}
figure{margin:0;border:1px solid var(--line);padding:.5rem}figure svg{width:100%;height:auto;display:block;overflow:visible}
.plot .axis line,.plot .axis path{stroke:currentColor;stroke-opacity:.35}.plot .grid-line{stroke:currentColor;stroke-opacity:.08}.plot text{fill:currentColor}figcaption{font-weight:600;font-size:.9rem;margin-top:.3rem}
pre{background:#f4f6f9;padding:.8rem;overflow:auto;font-size:.8rem}.scroll{max-height:40rem;overflow:auto}
@media print{.charts{display:block}figure{break-inside:avoid;margin-bottom:1rem}.scroll{max-height:none}}
`;

/** The complete HTML report document. */
export function reportHtml(input: HtmlReportInput): string {
  const r = input.report;
  const when = typeof input.generatedAt === 'string' ? input.generatedAt : input.generatedAt.toISOString();
  const parts = [
    modelCard(r),
    scorecard(r),
    data(r),
    quality(r),
    fairness(r),
    drift(r),
    latency(r),
    explanations(r),
    charts(input.charts),
    section('settings', 'Settings used', `<pre>${e(JSON.stringify(input.settings ?? null, null, 2))}</pre>`),
    rowsSection(input.rows),
  ].filter(Boolean);
  const nav = parts.map((p) => /^<section id="([^"]+)"><h2>([^<]*)<\/h2>/.exec(p)).filter((m): m is RegExpExecArray => !!m);
  // A JSON data block is not executed (and CSP allows it); `<` is escaped so no text can close it.
  const json = JSON.stringify(r ?? null).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`Loupe report${str(at(r, 'model.card.fileName')) ? ` — ${str(at(r, 'model.card.fileName'))}` : ''}`)}</title>
<style>${CSS}</style>
</head>
<body>
${header(r, when)}
<nav aria-label="Sections"><ul>${nav.map((m) => `<li><a href="#${m[1]}">${m[2]}</a></li>`).join('')}</ul></nav>
<main>
${parts.join('\n')}
</main>
<script type="application/json" id="loupe-report">${json}</script>
</body>
</html>
`;
}

/** The table's rows as text cells (numbers kept as numbers), the first `max` of them. */
export function tableRows(t: Table, max = MAX_REPORT_ROWS): ReportRows {
  const n = Math.min(t.nRows, Math.max(0, Math.floor(max)));
  const rows: (string | number | null)[][] = new Array(n);
  for (let i = 0; i < n; i++)
    rows[i] = t.columns.map((c) => {
      if (c.kind === 'numeric') return Number.isNaN(c.values[i]) ? null : c.values[i];
      const s = cellText(c, i);
      return s === '' ? null : s;
    });
  return {
    header: t.columns.map((c) => c.name),
    rows,
    total: t.nRows,
    note: n < t.nRows ? `The first ${n.toLocaleString('en-US')} of ${t.nRows.toLocaleString('en-US')} rows of the reference file.` : `All ${n.toLocaleString('en-US')} rows of the reference file.`,
  };
}
