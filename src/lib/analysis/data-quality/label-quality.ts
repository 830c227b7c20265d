/**
 * A label-quality hint: rows where the model is confident and disagrees with the label. The simplest
 * of cleanlab's rules; such rows are often mislabelled, or hard cases worth a look, never proof.
 */
import { ratio, type Metric, type Scores } from '../quality/metric';

export interface LabelQualityHints {
  /** Flagged rows, most confident first (ties by row index). */
  rows: Uint32Array;
  /** Per flagged row: the predicted class, its probability, and the given label. */
  predicted: Int32Array;
  confidence: Float64Array;
  given: Int32Array;
  count: number;
  /** Rows with a label and a score, the ones judged. */
  judged: number;
  /** count / judged. */
  share: Metric;
  /** Flagged rows per (given label, predicted class), most frequent first. */
  pairs: { given: number; predicted: number; count: number }[];
  minConfidence: number;
  /** The rule, in words. */
  rule: string;
}

/**
 * Rows whose most probable class has probability ≥ `minConfidence` (default 0.9) and differs from the
 * label. `actual`: class index per row (−1 = no label, skipped); `probs`: row-major [n, C]
 * probabilities (rows with a non-finite probability are skipped).
 */
export function labelQualityHints(actual: Int32Array, probs: Scores, C: number, minConfidence = 0.9): LabelQualityHints {
  const n = actual.length;
  const flagged: { row: number; predicted: number; confidence: number; given: number }[] = [];
  let judged = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i];
    if (y < 0 || y >= C) continue;
    let best = -1, p = -Infinity, finite = true;
    for (let c = 0; c < C; c++) {
      const v = probs[i * C + c];
      if (!Number.isFinite(v)) finite = false;
      if (v > p) {
        p = v;
        best = c;
      }
    }
    if (!finite) continue;
    judged++;
    if (best !== y && p >= minConfidence) flagged.push({ row: i, predicted: best, confidence: p, given: y });
  }
  flagged.sort((a, b) => b.confidence - a.confidence || a.row - b.row);
  const pairCounts = new Map<number, number>();
  for (const f of flagged) pairCounts.set(f.given * C + f.predicted, (pairCounts.get(f.given * C + f.predicted) ?? 0) + 1);
  const pairs = [...pairCounts]
    .map(([k, count]) => ({ given: Math.floor(k / C), predicted: k % C, count }))
    .sort((a, b) => b.count - a.count || a.given - b.given || a.predicted - b.predicted);
  return {
    rows: Uint32Array.from(flagged, (f) => f.row),
    predicted: Int32Array.from(flagged, (f) => f.predicted),
    confidence: Float64Array.from(flagged, (f) => f.confidence),
    given: Int32Array.from(flagged, (f) => f.given),
    count: flagged.length,
    judged,
    share: ratio(flagged.length, judged, 'no rows with both a label and a score'),
    pairs,
    minConfidence,
    rule: `The model\u2019s most probable class differs from the label and has a probability of at least ${minConfidence}. Such rows are often mislabelled, or unusual; check them, do not drop them blindly.`,
  };
}
