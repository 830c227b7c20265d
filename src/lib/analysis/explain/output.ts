/**
 * The number an explanation explains, read from decoded predictions: a predictor built on the app's
 * scoring path (buildFeeds → run → decodeOutputs) ends with {@link selectOutput}.
 */
import type { Task } from '../../model/types';

/**
 * 'probability': P(class) as decoded; 'log-odds': ln(P / (1 − P)) of that class; 'value': a regression's
 * output. Attributions add up in the space they were computed in, so the UI labels its axes with it.
 */
export type OutputSpace = 'probability' | 'log-odds' | 'value';

export interface OutputSpec {
  task: Task;
  /** Class explained (index into the mapping's classes); ignored for regression. */
  classIndex: number;
  space: OutputSpace;
}

/** Probabilities are clamped to [P_MIN, 1 − P_MIN] before taking log-odds, so a saturated 0 or 1 stays finite. */
export const P_MIN = 1e-15;

/** ln(p / (1 − p)) with p clamped to [P_MIN, 1 − P_MIN]. */
export function logit(p: number): number {
  const q = Math.min(1 - P_MIN, Math.max(P_MIN, p));
  return Math.log(q) - Math.log1p(-q);
}

/**
 * One value per row from decoded `scores` (row-major N × C probabilities for classification, N values for
 * regression). For a binary model in log-odds the two decoded columns are used as ln(p_k) − ln(p_other):
 * each float32 probability keeps its own relative precision, so log-odds near 0 or 1 stay accurate.
 */
export function selectOutput(scores: ArrayLike<number>, n: number, classes: number, spec: OutputSpec): Float64Array {
  const out = new Float64Array(n);
  if (spec.task === 'regression') {
    for (let i = 0; i < n; i++) out[i] = scores[i];
    return out;
  }
  const k = spec.classIndex;
  if (k < 0 || k >= classes) throw new Error(`Class index ${k} is outside the model's ${classes} classes.`);
  for (let i = 0; i < n; i++) {
    const p = scores[i * classes + k];
    if (spec.space !== 'log-odds') out[i] = p;
    else if (classes === 2) {
      const q = scores[i * classes + (1 - k)];
      out[i] = Math.log(Math.max(P_MIN, p)) - Math.log(Math.max(P_MIN, q));
    } else out[i] = logit(p);
  }
  return out;
}
