import { describe, expect, test } from 'vitest';
import { buildReport, reportJson } from '../../../src/lib/report/report';

describe('report', () => {
  const empty = { generatedAt: new Date('2026-01-02T03:04:05Z'), appVersion: '9.9.9', environment: null, model: null, data: null, mapping: null, scoring: null, latency: null, quality: null };

  test('keys present even when nothing is loaded', () => {
    const r = buildReport(empty);
    expect(Object.keys(r).sort()).toEqual(['data', 'dataQuality', 'environment', 'explanations', 'fairness', 'findings', 'generator', 'latency', 'mapping', 'model', 'predictions', 'quality', 'schema', 'scorecard']);
    expect(r.generator).toEqual({ name: 'loupe', version: '9.9.9', generatedAt: '2026-01-02T03:04:05.000Z' });
  });

  test('rows per second from in-worker inference time; non-finite numbers become null in JSON', () => {
    const summary = {
      task: 'binary' as const, rows: 10, scored: 10, labelled: 0, predictedCounts: [5, 5], actualCounts: null, accuracy: null,
      predictionMean: null, predictionMin: null, predictionMax: null, mae: null, rmse: null,
    };
    const r = buildReport({ ...empty, scoring: { summary, backend: 'wasm', batchSize: 4, inferenceMs: 20, totalMs: NaN, cancelled: false } });
    expect(r.predictions?.rowsPerSecond).toBe(500);
    const parsed = JSON.parse(reportJson(r));
    expect(parsed.predictions.totalMs).toBeNull();
    expect(parsed.predictions.rowsPerSecond).toBe(500);
  });
});

describe('report JSON', () => {
  test('typed arrays become plain arrays', () => {
    const r = buildReport({ generatedAt: new Date(0), appVersion: '1', environment: null, model: null, data: null, mapping: null, scoring: null, latency: null, quality: null });
    const withArrays = { ...r, extra: Float64Array.from([1, NaN, 2]) } as unknown as typeof r;
    expect(JSON.parse(reportJson(withArrays)).extra).toEqual([1, null, 2]);
  });
});
