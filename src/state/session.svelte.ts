/**
 * The page's state: what is loaded (model, data), how they are wired (mapping), the last scoring run,
 * the job in progress and the messages shown. Every long step goes through the engine worker; every
 * figure is derived by `src/lib` functions. A failed load never replaces what was loaded before.
 */
import type { Remote } from 'comlink';
import { Engine, progress, type EngineApi, type OpenedModel, type ScoreResult } from '../workers/engine-bridge';
import type { Backend, BackendEnv } from '../workers/ort-backend';
import type { ParseReport, Table } from '../lib/data/table';
import { column } from '../lib/data/table';
import type { Mapping, MappingIssue } from '../lib/model/types';
import { proposeMapping, validateMapping } from '../lib/model/mapping';
import type { DataSummary } from '../lib/analysis/data-summary';
import { classesFromColumn, rowOutcomes, summarizePredictions } from '../lib/analysis/predictions';
import { buildReport, reportJson } from '../lib/report/report';
import { LatencyLab } from './latency.svelte';
import { QualityState } from './quality.svelte';
import { DriftState } from './drift.svelte';
import { FairnessState } from './fairness.svelte';
import { ExplainState } from './explain.svelte';
import { classifyFile, MAX_MODEL_BYTES, MAX_CSV_BYTES, formatBytes } from '../lib/data/file-kind';
import { imputePlan, type ImputePlan, type ImputeStrategy } from '../lib/analysis/data-quality';
import { UiState } from './ui.svelte';
import { findingsOf } from './findings.svelte';
import { ScorecardState } from './scorecard.svelte';

export const APP_VERSION = '0.1.0';

/** An entry of `static/samples/index.json`. */
export interface SampleInfo {
  id: string;
  title: string;
  description: string;
  model: string;
  csv: string;
  task: Mapping['task'];
  target: string;
  positiveClass?: string;
  sensitiveColumns?: string[];
  /** A drifted "current" CSV to compare with `csv`. */
  current?: string;
  heldOutMetrics?: Record<string, number>;
}

export interface JobState {
  label: string;
  done: number;
  total: number;
  unit: 'bytes' | 'rows' | 'steps';
  cancel: (() => void) | null;
}

export interface Message {
  id: number;
  level: 'error' | 'warning' | 'info';
  text: string;
}

export interface LoadedModel extends OpenedModel {
  id: string;
  fileName: string;
  bytes: ArrayBuffer;
}

export interface LoadedData {
  id: string;
  fileName: string;
  /** The rows every view uses: the file as read, or prepared (missing values imputed or rows dropped). */
  table: Table;
  report: ParseReport;
  summary: DataSummary;
  /** The file as read, when `table` was prepared from it. */
  raw?: Table;
  /** How missing values were treated before the model reads them (absent: left as they are). */
  preparation?: Omit<ImputePlan, 'table' | 'rows'> & { rows: number };
}

let ids = 0;
const nextId = (p: string) => `${p}${++ids}`;

export class LoupeSession {
  env = $state.raw<BackendEnv | null>(null);
  backend = $state<Backend>('wasm');
  model = $state.raw<LoadedModel | null>(null);
  data = $state.raw<LoadedData | null>(null);
  /** A second CSV to compare with `data` (drift); scored with the same model and mapping. */
  current = $state.raw<LoadedData | null>(null);
  currentScoring = $state.raw<ScoreResult | null>(null);
  /** Editable by the mapping panel; snapshot it before sending it to the worker. */
  mapping = $state<Mapping | null>(null);
  scoring = $state.raw<ScoreResult | null>(null);
  /** The mapping the last scoring run used (the table reads targets through it). */
  scoredMapping = $state.raw<Mapping | null>(null);
  job = $state<JobState | null>(null);
  messages = $state<Message[]>([]);
  sample = $state.raw<SampleInfo | null>(null);
  /** Rows picked elsewhere (an error-tree node) that the predictions table shows, with why. */
  rowSubset = $state.raw<{ label: string; rows: Uint32Array } | null>(null);

  readonly issues: MappingIssue[] = $derived.by(() =>
    this.model && this.data && this.mapping ? validateMapping(this.model.card, this.data.table, $state.snapshot(this.mapping) as Mapping) : [],
  );
  readonly canScore = $derived(!!this.model && !!this.data && !!this.mapping && !this.issues.some((i) => i.level === 'error'));

  readonly outcomes = $derived.by(() => {
    const s = this.scoring, m = this.scoredMapping, d = this.data;
    if (!s || !m || !d) return null;
    const target = m.target ? (column(d.table, m.target) ?? null) : null;
    return rowOutcomes(s, target, m.positiveClass);
  });
  readonly predictionSummary = $derived(this.scoring && this.outcomes ? summarizePredictions(this.scoring, this.outcomes) : null);

  /** The latency lab for the loaded model (its own workers, one per backend). */
  readonly latency: LatencyLab = new LatencyLab(this);
  /** Quality figures of the last scoring run. */
  readonly quality: QualityState = new QualityState(this);
  /** Data quality of the loaded CSV and drift against a second, current CSV. */
  readonly drift: DriftState = new DriftState(this);
  /** Subgroup metrics, disparities and threshold fixes. */
  readonly fairness: FairnessState = new FairnessState(this);
  /** Importance, SHAP, partial dependence, what-if and counterfactuals. */
  readonly explain: ExplainState = new ExplainState(this);
  /** The open view and presenter mode. */
  readonly ui: UiState = new UiState();
  /** Models side by side: the stakeholder scorecard. */
  readonly scorecard: ScorecardState = new ScorecardState(this);

  #engine = new Engine((message) => this.#workerDied(message));
  #messageId = 0;
  /** The last worker crash message: calls that failed because of it are not reported twice. */
  #lastCrash: string | null = null;

  /** Reads what the browser offers (isolation, threads, WebGPU); starts the worker. */
  async init(): Promise<void> {
    try {
      this.env = await this.#engine.call((api) => api.env());
    } catch (e) {
      this.error(`The inference engine could not start: ${(e as Error).message}`);
    }
  }

  /** Adds a message; info messages expire after 12 s, warnings and errors stay until dismissed. */
  say(level: Message['level'], text: string): void {
    const id = ++this.#messageId;
    this.messages = [...this.messages.filter((m) => m.text !== text), { id, level, text }];
    if (level === 'info') setTimeout(() => this.dismiss(id), 12_000);
  }
  error(text: string): void {
    this.say('error', text);
  }
  dismiss(id: number): void {
    this.messages = this.messages.filter((m) => m.id !== id);
  }

  /** Files dropped or picked: each is routed by what it is; anything else gets a message. */
  async loadFiles(files: File[]): Promise<void> {
    const heads = await Promise.all(files.map(async (f) => new Uint8Array(await f.slice(0, 64).arrayBuffer())));
    const kinds = files.map((f, i) => classifyFile(f.name, f.size, heads[i]));
    for (const [i, k] of kinds.entries()) if (k.kind === 'unknown') this.error(k.reason);
    // Model first, so the CSV is mapped and scored against it as soon as it lands.
    for (const [i, k] of kinds.entries()) if (k.kind === 'model') await this.loadModelFile(files[i]);
    for (const [i, k] of kinds.entries()) if (k.kind === 'csv') await this.loadCsv(files[i], files[i].name);
  }

  async loadModelFile(file: File): Promise<boolean> {
    if (file.size > MAX_MODEL_BYTES) {
      this.error(
        `${file.name} is ${formatBytes(file.size)}; Loupe reads models up to ${formatBytes(MAX_MODEL_BYTES)} in the browser. Nothing was loaded.`,
      );
      return false;
    }
    if (file.size === 0) {
      this.error(`${file.name} is empty (0 bytes): it is not an ONNX model. Nothing was loaded.`);
      return false;
    }
    return this.loadModelBytes(await file.arrayBuffer(), file.name);
  }

  /** Opens a model in the worker; only on success does it replace the current one. */
  async loadModelBytes(bytes: ArrayBuffer, fileName: string, quiet = false): Promise<boolean> {
    const id = nextId('model');
    this.job = { label: `Opening ${fileName}`, done: 0, total: 0, unit: 'steps', cancel: null };
    try {
      // The page keeps its own copy of the bytes (to reopen on another backend); the worker gets a clone.
      const opened = await this.#engine.call((api) => api.openModel(id, bytes.slice(0), fileName, this.backend));
      const old = this.model;
      this.model = { ...opened, id, fileName, bytes };
      if (old) void this.#engine.call((api) => api.dropModel(old.id)).catch(() => {});
      if (!quiet) for (const n of opened.notices) this.say('info', n);
      this.scoring = null;
      this.remap();
      // Not while a sample loads: its own CSV replaces the old one next.
      const blocking = quiet || this.#pendingScore ? undefined : this.issues.find((i) => i.level === 'error');
      if (blocking && this.data) {
        this.say('warning', `${fileName} cannot score ${this.data.fileName} as mapped: ${blocking.message} Fix the mapping under “Model & data”.`);
      }
      return true;
    } catch (e) {
      const msg = (e as Error).message;
      // Messages from reading the model already name the file.
      this.error(`${msg.startsWith(`'${fileName}'`) ? msg : `${fileName}: ${msg}`} What was loaded before is still loaded.`);
      return false;
    } finally {
      this.job = null;
      await this.scoreIfReady();
    }
  }

  /**
   * Parses a CSV in the worker with progress and cancel. Returns the loaded data, or null (with a
   * message) when it was refused, failed or was cancelled; nothing already loaded is touched.
   */
  async #parse(blob: Blob, fileName: string): Promise<LoadedData | null> {
    if (blob.size > MAX_CSV_BYTES) {
      this.error(`${fileName} is ${formatBytes(blob.size)}; Loupe reads CSV files up to ${formatBytes(MAX_CSV_BYTES)}. Nothing was loaded.`);
      return null;
    }
    // An ONNX file picked as data: say what it is rather than "not text".
    const head = new Uint8Array(await blob.slice(0, 64).arrayBuffer());
    if (blob.size > 0 && classifyFile('', blob.size, head).kind === 'model') {
      this.error(`${fileName} looks like an ONNX model, not a CSV file: pick it with the “ONNX model” input or drop it on the page. What was loaded before is still loaded.`);
      return null;
    }
    const id = nextId('data');
    const job = this.#engine.job('parse', (api, jobId) =>
      api.parseCsv(jobId, id, blob, fileName, progress((done, total) => this.#progress(done, total))),
    );
    this.job = { label: `Reading ${fileName}`, done: 0, total: blob.size, unit: 'bytes', cancel: job.cancel };
    try {
      const { table, report, summary } = await job.promise;
      for (const w of report.warnings) this.say('warning', `${fileName}: ${w}`);
      return { id, fileName, table, report, summary };
    } catch (e) {
      const err = e as Error;
      if (err.name === 'AbortError' || /cancel/i.test(err.message)) this.say('info', `Reading ${fileName} was cancelled; nothing was replaced.`);
      else this.error(`${fileName}: ${err.message} What was loaded before is still loaded.`);
      return null;
    } finally {
      this.job = null;
    }
  }

  /** Loads the reference CSV (the one every view judges); only on success does it replace the old one. */
  async loadCsv(blob: Blob, fileName: string): Promise<boolean> {
    const loaded = await this.#parse(blob, fileName);
    if (loaded) {
      const old = this.data;
      this.data = loaded;
      if (old) void this.#engine.call((api) => api.dropDataset(old.id)).catch(() => {});
      this.scoring = null;
      this.remap();
      const blocking = this.issues.find((i) => i.level === 'error');
      if (blocking && this.model) {
        this.say('warning', `${this.model.fileName} cannot score ${fileName} as mapped: ${blocking.message} Fix the mapping under “Model & data”.`);
      }
      const m = this.mapping;
      const target = m && m.task !== 'regression' && m.target ? column(loaded.table, m.target) : undefined;
      const present = target ? classesFromColumn(target) : [];
      if (target && present.length === 1) {
        this.say(
          'warning',
          `${fileName}: the target '${target.name}' holds one class only ('${present[0]}'), so AUC, ROC and precision-recall are undefined and error rates cover that class alone.`,
        );
      }
    }
    await this.scoreIfReady();
    return !!loaded;
  }

  /**
   * Loads a second, "current" CSV to compare with the reference (drift), and scores it with the same
   * model and mapping when its columns allow.
   */
  async loadCurrentCsv(blob: Blob, fileName: string): Promise<boolean> {
    const loaded = await this.#parse(blob, fileName);
    if (!loaded) return false;
    const old = this.current;
    this.current = loaded;
    this.currentScoring = null;
    if (old) void this.#engine.call((api) => api.dropDataset(old.id)).catch(() => {});
    await this.scoreCurrent();
    return true;
  }

  /**
   * How missing values reach the model: left as NaN / empty ('none'), imputed with the column's
   * median or mode ('median-mode'), or rows with any missing model input dropped ('drop-rows').
   * Replaces the table every view reads (the file as read stays in `data.raw`) and rescores.
   */
  async setPreparation(strategy: ImputeStrategy): Promise<void> {
    const d = this.data;
    if (!d || this.job) return;
    const raw = d.raw ?? d.table;
    const inputs = this.mapping ? this.mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c) : undefined;
    const plan = strategy === 'none' ? null : imputePlan(raw, strategy, { columns: inputs });
    const table = plan ? plan.table : raw;
    const id = nextId('data');
    let summary: DataSummary;
    try {
      await this.#engine.call((api) => api.adoptTable(id, structuredClone(table)));
      summary = await this.#engine.call((api) => api.summarize(id));
    } catch (e) {
      this.error(`Preparing the data failed: ${(e as Error).message}`);
      return;
    }
    void this.#engine.call((api) => api.dropDataset(d.id)).catch(() => {});
    this.data = {
      ...d,
      id,
      table,
      raw: plan ? raw : undefined,
      preparation: plan ? { strategy: plan.strategy, dropped: plan.dropped, columns: plan.columns, description: plan.description, rows: plan.rows.length } : undefined,
      summary,
    };
    this.scoring = null;
    this.rowSubset = null;
    await this.scoreIfReady();
  }

  /** Forgets the current CSV. */
  dropCurrent(): void {
    const old = this.current;
    this.current = null;
    this.currentScoring = null;
    if (old) void this.#engine.call((api) => api.dropDataset(old.id)).catch(() => {});
  }

  /** Loads the sample's bundled drifted CSV as "current". */
  async loadSampleCurrent(): Promise<void> {
    const s = this.sample;
    if (!s?.current) return;
    const res = await fetch(`samples/${s.current}`);
    if (!res.ok) {
      this.error(`The drifted sample ${s.current} could not be read (HTTP ${res.status}).`);
      return;
    }
    await this.loadCurrentCsv(await res.blob(), s.current);
  }

  /** Loads a bundled sample (model and CSV) from the app's own origin. */
  async loadSample(s: SampleInfo): Promise<void> {
    this.job = { label: `Fetching sample “${s.title}”`, done: 0, total: 2, unit: 'steps', cancel: null };
    try {
      const [m, c] = await Promise.all([fetch(`samples/${s.model}`), fetch(`samples/${s.csv}`)]);
      if (!m.ok || !c.ok) throw new Error(`the sample files could not be read (HTTP ${m.status}/${c.status})`);
      const [bytes, csv] = await Promise.all([m.arrayBuffer(), c.blob()]);
      this.sample = s;
      this.messages = this.messages.filter((m) => m.level === 'error');
      this.#pendingScore = true;
      const okModel = await this.loadModelBytes(bytes, s.model);
      const okData = okModel && (await this.loadCsv(csv, s.csv));
      if (!okData) this.sample = null;
    } catch (e) {
      this.error(`Sample “${s.title}”: ${(e as Error).message}`);
      this.job = null;
    } finally {
      this.#pendingScore = false;
      await this.scoreIfReady();
    }
  }

  /** Proposes a fresh mapping for the loaded model and data, honouring the sample's hints. */
  remap(): void {
    if (!this.model || !this.data) {
      this.mapping = null;
      return;
    }
    const { mapping, issues } = proposeMapping(this.model.card, this.data.table);
    const s = this.sample;
    if (s && s.model === this.model.fileName && s.csv === this.data.fileName) {
      if (s.positiveClass) {
        const p = mapping.classes.indexOf(s.positiveClass);
        if (p >= 0) mapping.positiveClass = p;
      }
    }
    // Its notes (target chosen, unused columns) are shown by the mapping panel through `issues`.
    void issues;
    this.mapping = mapping;
  }

  /** Uses another column as the target; classes follow it when the model declares none. */
  setTarget(name: string | null): void {
    const m = this.mapping, d = this.data, card = this.model?.card;
    if (!m || !d || !card) return;
    m.target = name;
    const col = name ? column(d.table, name) : undefined;
    if (m.task !== 'regression' && !card.classLabels && col) {
      const classes = classesFromColumn(col);
      if (classes.length >= 2) {
        m.classes = classes;
        m.positiveClass = Math.min(m.positiveClass, classes.length - 1);
      }
    }
  }

  setTask(task: Mapping['task']): void {
    const m = this.mapping;
    if (!m) return;
    m.task = task;
    if (task === 'binary') m.positiveClass = Math.min(Math.max(0, m.positiveClass), Math.max(0, m.classes.length - 1));
  }

  #pendingScore = false;

  /** Scores when a model, data and an error-free mapping are all present (and no sample is half-loaded). */
  async scoreIfReady(): Promise<void> {
    if (this.#pendingScore || this.job || !this.canScore || this.scoring) return;
    await this.score();
  }

  /** Scores every row of one dataset in the worker, in batches, with progress and cancel. */
  async #scoreDataset(data: LoadedData, mapping: Mapping): Promise<ScoreResult | null> {
    const modelId = this.model!.id;
    const job = this.#engine.job('score', (api, jobId) =>
      api.score({ jobId, modelId, datasetId: data.id, mapping }, progress((done, total) => this.#progress(done, total))),
    );
    this.job = { label: `Scoring ${data.table.nRows.toLocaleString()} rows of ${data.fileName}`, done: 0, total: data.table.nRows, unit: 'rows', cancel: job.cancel };
    try {
      const result = await job.promise;
      if (result.cancelled) this.say('info', `Scoring was cancelled after ${result.scored.toLocaleString()} of ${result.n.toLocaleString()} rows; the views use the rows scored.`);
      return result;
    } catch (e) {
      // A dead worker is reported once, by #workerDied.
      if ((e as Error).message !== this.#lastCrash) this.error((e as Error).message);
      return null;
    } finally {
      if (this.job?.cancel === job.cancel) this.job = null;
    }
  }

  /**
   * Runs an explanation job in the engine worker. With a `label` it shows the page-wide progress bar
   * (`total` units of `unit`) with Cancel, and refuses to start while another job runs; without one it
   * is a quick call (what-if) that leaves the bar alone. Returns null when it failed (with a message) or
   * was cancelled.
   */
  async explainJob<T>(
    kind: string,
    run: (api: Remote<EngineApi>, jobId: string, onProgress: ReturnType<typeof progress>) => Promise<T>,
    label: string | null,
    total = 0,
    unit: JobState['unit'] = 'rows',
  ): Promise<T | null> {
    if (label && this.job) {
      this.say('info', `Wait for “${this.job.label}” to finish (or cancel it) first.`);
      return null;
    }
    let stopped = false;
    const job = this.#engine.job(kind, (api, jobId) => run(api, jobId, progress((done, t) => this.#progress(done, t))));
    if (label) this.job = { label, done: 0, total, unit, cancel: () => { stopped = true; job.cancel(); } };
    try {
      return await job.promise;
    } catch (e) {
      const err = e as Error;
      if (stopped || err.name === 'AbortError' || /cancel/i.test(err.message)) this.say('info', `${label ?? 'The explanation'} was cancelled.`);
      else if (err.message !== this.#lastCrash) this.error(err.message);
      return null;
    } finally {
      if (label) this.job = null;
    }
  }

  /** Scores the reference CSV; then the current one too, when loaded. */
  async score(): Promise<void> {
    if (!this.model || !this.data || !this.mapping || !this.canScore) return;
    const mapping = $state.snapshot(this.mapping) as Mapping;
    const result = await this.#scoreDataset(this.data, mapping);
    if (!result) return;
    this.scoredMapping = mapping;
    this.scoring = result;
    this.rowSubset = null;
    this.quality.selectedNode = null;
    if (this.current) await this.scoreCurrent();
  }

  /** Scores the current CSV with the mapping the reference was scored with (its target may be absent). */
  async scoreCurrent(): Promise<void> {
    const cur = this.current, mapping = this.scoredMapping;
    if (!cur || !this.model || !mapping) return;
    const missing = mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c && !column(cur.table, c));
    if (missing.length) {
      this.error(`${cur.fileName} lacks ${missing.length === 1 ? 'the column' : 'columns'} ${missing.slice(0, 5).map((c) => `'${c}'`).join(', ')} that the model reads, so it cannot be scored; its data drift is still shown.`);
      return;
    }
    this.currentScoring = await this.#scoreDataset(cur, mapping);
  }

  /** Reopens the current model on another execution provider, then rescores. */
  async setBackend(b: Backend): Promise<void> {
    if (b === this.backend) return;
    const previous = this.backend;
    this.backend = b;
    const m = this.model;
    if (!m) return;
    const ok = await this.loadModelBytes(m.bytes, m.fileName);
    if (!ok) {
      this.backend = previous;
      return;
    }
    this.scoring = null;
    await this.scoreIfReady();
  }

  /** A quick call on the engine worker (no progress bar); rejects with the worker's error. */
  call<T>(fn: (api: Remote<EngineApi>) => Promise<T>): Promise<T> {
    return this.#engine.call(fn);
  }

  cancelJob(): void {
    this.job?.cancel?.();
  }

  /** The report JSON of everything shown. */
  reportText(): string {
    const m = this.model, d = this.data, s = this.scoring;
    return reportJson(
      buildReport({
        generatedAt: new Date(),
        appVersion: APP_VERSION,
        environment: this.env ? { userAgent: navigator.userAgent, ...this.env } : null,
        model: m ? { card: m.card, notices: m.notices, backend: m.backend, sessionMs: m.sessionMs } : null,
        data: d ? { file: d.report, summary: d.summary, preparation: d.preparation ?? null } : null,
        mapping: this.mapping ? { mapping: $state.snapshot(this.mapping) as Mapping, issues: this.issues } : null,
        quality: this.scoring ? this.quality.report() : null,
        dataQuality: this.drift.report(),
        fairness: this.fairness.report(),
        explanations: this.explain.report(),
        findings: this.model || this.data ? findingsOf(this).report() : null,
        scorecard: this.scorecard.report(),
        latency: this.latency.figures
          ? { model: this.latency.modelName, settings: $state.snapshot(this.latency.settings), environment: this.latency.environment, figures: this.latency.figures }
          : null,
        scoring:
          s && this.predictionSummary
            ? { summary: this.predictionSummary, backend: s.backend, batchSize: s.batchSize, inferenceMs: s.inferenceMs, totalMs: s.totalMs, cancelled: s.cancelled }
            : null,
      }),
    );
  }

  /** Test hook: makes the worker throw, to check the page recovers. */
  crashWorker(): void {
    void this.#engine.call((api) => api.crash()).catch(() => {});
  }

  #progress(done: number, total: number) {
    if (this.job) {
      this.job.done = done;
      this.job.total = total;
    }
  }

  /** The worker died: everything it held is gone, so reload what the page still has. */
  async #workerDied(message: string): Promise<void> {
    // Called synchronously by the bridge, so `job` is still the one that was running.
    const duringScoring = !!this.job?.label.startsWith('Scoring');
    this.#lastCrash = message;
    this.error(`${message} Loupe restarted the engine and is reloading your model and data.`);
    this.job = null;
    const m = this.model, d = this.data, c = this.current;
    this.model = null;
    this.data = null;
    this.scoring = null;
    this.#pendingScore = true;
    try {
      if (m) await this.loadModelBytes(m.bytes, m.fileName, true);
      if (d) {
        // Re-parse is not possible without the file; send the page's copy of the table back instead.
        await this.#engine.call((api) => api.adoptTable(d.id, structuredClone(d.table)));
        this.data = d;
        this.remap();
      }
      if (c) await this.#engine.call((api) => api.adoptTable(c.id, structuredClone(c.table)));
    } catch (e) {
      this.error(`Reloading after the restart failed: ${(e as Error).message}`);
    } finally {
      this.#pendingScore = false;
    }
    // A model that kills the worker while scoring would do it again: leave the retry to the user.
    if (duringScoring) this.say('warning', 'The engine stopped while scoring, so Loupe did not score again by itself; press “Score” to retry.');
    else await this.scoreIfReady();
  }
}
