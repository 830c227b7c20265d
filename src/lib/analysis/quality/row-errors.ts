/**
 * Per-row error vectors that slice discovery and the error heatmap work on. NaN marks a row without
 * an error (no target, not scored), which those analyses leave out.
 */

/** What a per-row error measures: 0/1 misclassification, or the absolute residual in target units. */
export type ErrorKind = 'misclassified' | 'absolute error';

/** Per-row errors and what they measure. */
export interface RowErrors {
  kind: ErrorKind;
  /** One value per row; NaN = no error known. */
  values: Float64Array;
}

/** 1 where wrong, 0 where right, NaN where not judged (`correct` as `rowOutcomes` gives it: 1/0/-1). */
export function misclassified(correct: Int8Array): RowErrors {
  const values = new Float64Array(correct.length);
  for (let i = 0; i < correct.length; i++) values[i] = correct[i] === 1 ? 0 : correct[i] === 0 ? 1 : NaN;
  return { kind: 'misclassified', values };
}

/** |residual| per row (NaN stays NaN). */
export function absoluteResiduals(residual: ArrayLike<number>): RowErrors {
  const values = new Float64Array(residual.length);
  for (let i = 0; i < residual.length; i++) values[i] = Math.abs(residual[i]);
  return { kind: 'absolute error', values };
}
