/**
 * The exported report (`loupe-report.json`): every figure the page shows, under stable keys
 * documented in docs/report.md. Later views add their own sections; nothing here reads the DOM.
 */
import type { ParseReport } from '../data/table';
import type { DataSummary } from '../analysis/data-summary';
import type { PredictionSummary } from '../analysis/predictions';
import type { Mapping, MappingIssue, ModelCard } from '../model/types';
import type { LatencyFigures } from '../analysis/latency-figures';

export const REPORT_SCHEMA = 1;

export interface ReportEnvironment {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  wasmThreads: number;
  webgpu: { available: boolean; adapter: string | null; reason: string | null };
  ortVersion: string;
}

export interface ReportInput {
  generatedAt: Date;
  appVersion: string;
  environment: ReportEnvironment | null;
  model: { card: ModelCard; notices: string[]; backend: string; sessionMs: number } | null;
  data: { file: ParseReport; summary: DataSummary; preparation?: unknown } | null;
  mapping: { mapping: Mapping; issues: MappingIssue[] } | null;
  /** The quality view's figures (metrics, curves, intervals, costs, slices, error analysis). */
  quality: unknown;
  /** Data-quality report and drift against the current CSV. */
  dataQuality?: unknown;
  /** Groups, disparities, threshold strategies, trade-off and proxies. */
  fairness?: unknown;
  /** Importance, SHAP, partial dependence, counterfactuals. */
  explanations?: unknown;
  /** The Overview's automatic findings, with the limits they were checked against. */
  findings?: unknown;
  /** Models side by side: stakeholders, candidates, Pareto front, disagreement, complexity. */
  scorecard?: unknown;
  /** The latency lab's settings, environment and figures (summaries, intervals, histograms, sweep). */
  latency: { model: string | null; settings: unknown; environment: unknown; figures: LatencyFigures } | null;
  scoring: {
    summary: PredictionSummary;
    backend: string;
    batchSize: number;
    inferenceMs: number;
    totalMs: number;
    cancelled: boolean;
  } | null;
}

export interface Report {
  schema: number;
  generator: { name: 'loupe'; version: string; generatedAt: string };
  environment: ReportEnvironment | null;
  model: (ReportInput['model'] & { sessionMs: number }) | null;
  data: ReportInput['data'];
  mapping: ReportInput['mapping'];
  predictions:
    | (NonNullable<ReportInput['scoring']> & { rowsPerSecond: number | null })
    | null;
  latency: ReportInput['latency'];
  quality: unknown;
  dataQuality: unknown;
  fairness: unknown;
  explanations: unknown;
  findings: unknown;
  scorecard: unknown;
}

/** Assembles the report; `rowsPerSecond` is rows scored per second of in-worker inference time. */
export function buildReport(input: ReportInput): Report {
  const s = input.scoring;
  return {
    schema: REPORT_SCHEMA,
    generator: { name: 'loupe', version: input.appVersion, generatedAt: input.generatedAt.toISOString() },
    environment: input.environment,
    model: input.model,
    data: input.data,
    mapping: input.mapping,
    predictions: s
      ? { ...s, rowsPerSecond: s.inferenceMs > 0 ? (s.summary.scored / s.inferenceMs) * 1000 : null }
      : null,
    latency: input.latency,
    quality: input.quality,
    dataQuality: input.dataQuality ?? null,
    fairness: input.fairness ?? null,
    explanations: input.explanations ?? null,
    findings: input.findings ?? null,
    scorecard: input.scorecard ?? null,
  };
}

/** JSON text of a report: NaN and Infinity become null (JSON has neither), 2-space indent. */
export function reportJson(report: Report): string {
  return JSON.stringify(
    report,
    (_k, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      // Typed arrays (ECDF points, samples) as plain arrays, not {"0":…} objects.
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    2,
  );
}
