/**
 * Drift of what the model outputs (scores, predicted classes) and of the labels, the change of each
 * quality or fairness metric between reference and current, and what can still be judged when the
 * current data has no labels.
 */
import { known, unknown, type Metric, type Scores } from '../quality/metric';
import { categoricalDrift, numericDrift, type DriftOptions, type FeatureDrift } from './feature-drift';

/**
 * Prediction drift of a score (a probability of one class, or a regression output); NaN = not scored.
 * The same statistics as a numeric feature, named `name` (default 'score').
 */
export function scoreDrift(refScores: Scores | ArrayLike<number>, curScores: Scores | ArrayLike<number>, options: DriftOptions & { name?: string } = {}): FeatureDrift {
  return numericDrift(options.name ?? 'score', refScores, curScores, options);
}

/**
 * Drift of a class distribution: predicted classes (prediction drift) or labels (label drift). Codes
 * index `classes` on both sides; −1 = none.
 */
export function classDrift(name: string, ref: Int32Array, cur: Int32Array, classes: readonly string[], options: DriftOptions = {}): FeatureDrift {
  return categoricalDrift(name, { codes: ref, categories: classes }, { codes: cur, categories: classes }, options);
}

export interface MetricChange {
  name: string;
  ref: Metric;
  cur: Metric;
  /** cur − ref; null when either is unknown. */
  change: Metric;
}

/**
 * The change of every metric between reference and current (names from `ref`, then any only in
 * `cur`). The caller computes the metrics (quality, per-group fairness) on each side with its own
 * functions; a metric only one side has is unknown on the other.
 */
export function metricChanges(ref: Record<string, Metric>, cur: Record<string, Metric>): MetricChange[] {
  const names = [...Object.keys(ref), ...Object.keys(cur).filter((k) => !(k in ref))];
  const absent = unknown('not computed on this side');
  return names.map((name) => {
    const r = ref[name] ?? absent;
    const c = cur[name] ?? absent;
    const change = r.value !== null && c.value !== null ? known(c.value - r.value) : unknown(r.value === null ? `reference: ${r.reason}` : `current: ${(c as { reason: string }).reason}`);
    return { name, ref: r, cur: c, change };
  });
}

/** What a drift comparison can and cannot say, in sentences, given what the current data holds. */
export function whatCanBeJudged(current: { hasLabels: boolean; hasScores: boolean }): { can: string[]; cannot: string[] } {
  const can = ['Whether each feature\u2019s distribution moved (PSI, KS, chi-square, Jensen-Shannon, Wasserstein), and which moved most.'];
  const cannot: string[] = [];
  if (current.hasScores) {
    can.push('Whether the model\u2019s scores and predicted classes moved (prediction drift): a shift there changes decisions even before labels arrive.');
    can.push('How many current rows fall in score regions that were rare in the reference, and new or missing values the model reads.');
  }
  if (current.hasLabels) {
    can.push('Every quality and fairness metric on the current rows, and its change from the reference.');
    can.push('Whether the label balance moved (label drift).');
  } else {
    cannot.push('Accuracy, AUC, calibration, error rates and every fairness metric that needs the true outcome: the current data has no labels.');
    cannot.push('Whether the relation between features and outcome changed (concept drift): input drift alone neither proves nor rules it out.');
  }
  return { can, cannot };
}
