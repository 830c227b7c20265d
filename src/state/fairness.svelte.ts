/**
 * State of the Fairness view: the sensitive columns and their binning, intersections, minimum group
 * size, reference group and favourable outcome, with every figure derived from the last scoring run
 * by src/lib/analysis/fairness (the heavy ones in the engine worker). Binary decisions only; the threshold and the cost matrix are the
 * quality view's (`session.quality.threshold`, `session.quality.values`).
 */
import type { LoupeSession } from './session.svelte';
import {
  disparities,
  DEFAULT_MIN_SIZE,
  type Binning,
  type GroupMetricsResult,
  type Grouping,
  type ProxyReport,
  type SensitiveSpec,
  type Strategy,
  type StrategyResult,
  type TradeoffConstraint,
  type TradeoffCurve,
} from '../lib/analysis/fairness';
import type { FairnessFigures, FairnessPartitionFigures, QualityInput } from '../workers/analysis-jobs';
import { WorkerFigure, withVectors } from './worker-figure.svelte';
import type { DisparityKind } from '../lib/analysis/fairness';
import { defaultFavorable, formatRule, parseEdges } from '../lib/analysis/fairness/presentation';
import type { OutcomeValues } from '../lib/analysis/quality';

/** Stratified bootstrap of the group metrics and disparities. */
export const FAIRNESS_BOOTSTRAP = { resamples: 200, seed: 1, level: 0.95, maxRows: 100_000 } as const;
/** Seed of the coin flips of randomized (Hardt et al.) rules. */
export const FAIRNESS_COIN_SEED = 1;

/** How the user bins one numeric sensitive column: the library default, k quantiles, or edges typed in. */
export interface BinChoice {
  mode: 'auto' | 'quantiles' | 'edges';
  k: number;
  edges: string;
}

/** Group metrics without the per-row arrays (for the report). */
function plainMetrics(m: GroupMetricsResult) {
  return { minSize: m.minSize, overall: m.overall, groups: m.groups };
}

export class FairnessState {
  #session: LoupeSession;

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  /** Sensitive columns chosen; null until the user picks (then the sample's suggestion applies). */
  picked = $state<string[] | null>(null);
  bins = $state<Record<string, BinChoice>>({});
  intersections = $state(false);
  minSize = $state(DEFAULT_MIN_SIZE);
  reference = $state<'largest' | 'best' | number>('largest');
  /** null: from the positive class's name (see `defaultFavorable`). */
  favorableChoice = $state<'positive' | 'negative' | null>(null);
  /** Which partition the tables judge: index into `groupings`; null = the last (the intersection when on). */
  focusChoice = $state<number | null>(null);
  measure = $state<DisparityKind>('demographicParityRatio');
  applied = $state<Strategy | null>(null);
  constraint = $state<TradeoffConstraint>('equal-opportunity');

  /** Whether the view has anything to show for what is loaded. */
  get applies(): boolean {
    return !!this.#session.model;
  }

  /** The run judged: binary labels and scores from the quality state, with the table and mapping. */
  readonly run = $derived.by(() => {
    const q = this.#session.quality, r = q.run, b = q.binaryInput;
    if (!r) return null;
    return { task: r.pred.task, table: r.table, mapping: r.mapping, classes: r.pred.classes, y: b?.y ?? null, score: b?.score ?? null, hasLabels: q.hasLabels };
  });

  readonly positiveLabel = $derived(this.run ? (this.run.classes[this.run.mapping.positiveClass] ?? '') : '');
  readonly favorable = $derived(this.favorableChoice ?? defaultFavorable(this.positiveLabel));
  readonly threshold = $derived.by(() => this.#session.quality.threshold);
  readonly values = $derived.by(() => $state.snapshot(this.#session.quality.values) as OutcomeValues);

  /** The sensitive columns in use: the user's pick, else the sample's suggestion, keeping columns the table has. */
  readonly columns = $derived.by(() => {
    const t = this.run?.table;
    if (!t) return [] as string[];
    const names = new Set(t.columns.map((c) => c.name));
    const target = this.run?.mapping.target;
    const base = this.picked ?? this.#session.sample?.sensitiveColumns ?? [];
    return base.filter((c) => names.has(c) && c !== target);
  });

  toggleColumn(name: string, on: boolean): void {
    const cur = this.columns.filter((c) => c !== name);
    this.picked = on ? [...cur, name] : cur;
    this.focusChoice = null;
    this.applied = null;
  }

  binChoice(name: string): BinChoice {
    return this.bins[name] ?? { mode: 'auto', k: 4, edges: '' };
  }

  setBin(name: string, patch: Partial<BinChoice>): void {
    this.bins = { ...this.bins, [name]: { ...this.binChoice(name), ...patch } };
  }

  readonly specs = $derived.by((): SensitiveSpec[] =>
    this.columns.map((column) => {
      const col = this.run?.table.columns.find((c) => c.name === column);
      const b = this.bins[column];
      if (!col || col.kind !== 'numeric' || !b || b.mode === 'auto') return { column };
      let binning: Binning | undefined;
      if (b.mode === 'quantiles') binning = { kind: 'quantiles', k: Math.max(2, Math.min(20, Math.round(b.k) || 4)) };
      else {
        const edges = parseEdges(b.edges);
        binning = edges ? { kind: 'edges', edges } : undefined;
      }
      return binning ? { column, binning } : { column };
    }),
  );

  /** Binary input, or why this version cannot judge the run. */
  readonly blocked = $derived.by((): string | null => {
    const r = this.run;
    if (!r) return 'Score a CSV first: the fairness figures come from the predictions.';
    if (r.task !== 'binary')
      return `This version judges binary decisions only, and the model's task is ${r.task}. Pick a positive class (a binary task) in the mapping panel (Model & data) to judge one decision, then score again.`;
    if (!r.hasLabels || !r.y || !r.score) return 'The CSV has no usable target column, so error rates per group cannot be computed. Pick the target in the mapping panel and score again.';
    return null;
  });

  /** The CSV columns the model reads. */
  readonly consumed = $derived.by(() => {
    const m = this.run?.mapping;
    if (!m) return [] as string[];
    return [...new Set(m.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c))];
  });

  // Groups, their bootstrap, the threshold strategies, the trade-off and the proxy scan are computed in
  // the engine worker (src/workers/analysis-jobs.ts): at a million rows they take seconds.
  #figures = new WorkerFigure<FairnessFigures>();

  /** Whether the figures are being computed in the worker (the shown ones are then the previous ones, or none). */
  get computing(): boolean {
    return this.#figures.computing;
  }

  /** The run's labels and scores as the worker keeps them (sent once per run). */
  readonly #vectors = $derived.by((): QualityInput | null => (this.run?.y && this.run.score ? { task: 'binary', y: this.run.y, score: this.run.score } : null));

  readonly #computed = $derived.by(() => {
    const r = this.run, id = this.#session.data?.id;
    const on = !this.blocked && r && r.y && r.score && id && this.specs.length > 0 ? r : null;
    const params = {
      specs: this.specs,
      intersections: this.intersections,
      minSize: Math.max(1, Math.round(this.minSize) || 1),
      focusChoice: this.focusChoice,
      threshold: this.threshold,
      values: this.values,
      favorable: this.favorable,
      constraint: this.constraint,
      consumed: this.consumed,
      exclude: r?.mapping.target ? [r.mapping.target] : [],
      bootstrap: { ...FAIRNESS_BOOTSTRAP },
      coinSeed: FAIRNESS_COIN_SEED,
    };
    const shape = [params.specs, params.intersections, params.minSize, params.focusChoice];
    return this.#figures.read(on, params, () => withVectors(this.#session, this.#vectors!, (api, input) => api.fairnessFigures(id!, { ...params, input })), shape);
  });

  /** Every partition's disparities against its largest group, no intervals (computed in the worker; the Overview reads them). */
  readonly partitions: FairnessPartitionFigures[] = $derived(this.#computed?.partitions ?? []);
  readonly groupings: { list: Grouping[]; error: string | null } = $derived(this.#computed?.groupings ?? { list: [], error: this.#figures.error });

  readonly focus = $derived.by(() => {
    const n = this.groupings.list.length;
    if (!n) return -1;
    const f = this.focusChoice;
    return f !== null && f >= 0 && f < n ? f : n - 1;
  });

  readonly grouping = $derived(this.focus >= 0 ? this.groupings.list[this.focus] : null);
  /** 'Sex' or 'Sex × Age'. */
  readonly attribute = $derived(this.grouping ? this.grouping.columns.join(' × ') : '');

  /** The figures below are of the focused grouping; while another focus is computed they are withheld. */
  readonly #current = $derived(this.#computed && this.#computed.focus === this.focus ? this.#computed : null);

  readonly metrics: GroupMetricsResult | null = $derived(this.#current?.metrics ?? null);

  /** The reference as the library takes it: a specific group index only while it exists. */
  readonly referenceOption = $derived(typeof this.reference === 'number' && (!this.grouping || this.reference >= this.grouping.groups.length) ? 'largest' : this.reference);

  readonly disparity = $derived(this.metrics ? disparities(this.metrics, { reference: this.referenceOption, favorable: this.favorable }) : null);

  readonly strategies: StrategyResult[] | null = $derived(this.#current?.strategies ?? null);

  readonly appliedResult = $derived(this.applied && this.strategies ? (this.strategies.find((s) => s.strategy === this.applied) ?? null) : null);

  readonly tradeoff: TradeoffCurve | null = $derived(this.#current?.tradeoff ?? null);

  readonly proxies: ProxyReport | null = $derived(this.#current?.proxies ?? null);

  /** This view's section of the report JSON (documented in docs/report.md); null when empty. */
  report(): unknown {
    if (!this.run) return null;
    const g = this.grouping;
    return {
      judges: this.blocked ? null : 'binary decisions',
      blocked: this.blocked,
      settings: {
        sensitiveColumns: this.specs.map((s) => ({ ...s })),
        intersections: this.intersections,
        minSize: this.minSize,
        reference: this.referenceOption,
        favorable: this.favorable,
        positiveClass: this.positiveLabel,
        threshold: this.threshold,
        outcomeValues: this.values,
        bootstrap: FAIRNESS_BOOTSTRAP,
        coinSeed: FAIRNESS_COIN_SEED,
        judged: this.attribute || null,
      },
      partitions: this.groupings.list.map((p) => ({ columns: p.columns, groups: p.groups.map((x) => ({ label: x.label, size: x.size, tooSmall: x.tooSmall })) })),
      groups: g && this.metrics ? plainMetrics(this.metrics) : null,
      disparities: this.disparity,
      strategies:
        this.strategies?.map((s) => ({
          strategy: s.strategy,
          targets: s.targets,
          rules: s.rules,
          rulesText: s.rules.map((r) => formatRule(r)),
          randomized: s.randomized,
          unconstrained: s.unconstrained,
          accuracy: s.accuracy,
          value: s.value,
          expected: s.expected,
          gaps: s.gaps,
          coinNoise: s.coinNoise,
          groups: plainMetrics(s.metrics).groups.map(({ label, n, selectionRate, tpr, fpr, precision, accuracy }) => ({ label, n, selectionRate, tpr, fpr, precision, accuracy })),
        })) ?? null,
      applied: this.applied,
      tradeoff: this.tradeoff
        ? {
            constraint: this.tradeoff.constraint,
            current: this.tradeoff.current,
            unconstrainedGap: this.tradeoff.unconstrainedGap,
            points: this.tradeoff.points.map((p) => ({ epsilon: p.epsilon, accuracy: p.accuracy, value: p.value, gap: p.gap, rules: p.rules.map((r) => formatRule(r)) })),
          }
        : null,
      proxies: this.proxies,
    };
  }
}
