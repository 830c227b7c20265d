/** Held-out metrics reported in the sample manifest. */

/** Fraction of equal entries. */
export function accuracy(truth: readonly number[], predicted: readonly number[]): number {
  let ok = 0;
  truth.forEach((t, i) => (ok += t === predicted[i] ? 1 : 0));
  return ok / truth.length;
}

/** ROC AUC of `scores` for `positive` (booleans), by the rank-sum formula with ties counted half. */
export function auc(positive: readonly boolean[], scores: ArrayLike<number>): number {
  const idx = Array.from({ length: positive.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[idx[k]]) {
      rankSum += rank;
      nPos++;
    }
    i = j + 1;
  }
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Unweighted mean over classes of one-vs-rest AUC; `probs` is row-major n x k. */
export function macroAuc(truth: readonly number[], probs: ArrayLike<number>, k: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) {
    const scores = truth.map((_, i) => probs[i * k + c]);
    s += auc(truth.map((t) => t === c), scores);
  }
  return s / k;
}

/** Mean log loss of row-major n x k probabilities. */
export function logLoss(truth: readonly number[], probs: ArrayLike<number>, k: number): number {
  let s = 0;
  truth.forEach((t, i) => (s -= Math.log(Math.max(probs[i * k + t], 1e-15))));
  return s / truth.length;
}

export function rmse(truth: readonly number[], pred: ArrayLike<number>): number {
  let s = 0;
  truth.forEach((t, i) => (s += (t - pred[i]) ** 2));
  return Math.sqrt(s / truth.length);
}

export function mae(truth: readonly number[], pred: ArrayLike<number>): number {
  let s = 0;
  truth.forEach((t, i) => (s += Math.abs(t - pred[i])));
  return s / truth.length;
}

/** Coefficient of determination against the mean of `truth`. */
export function r2(truth: readonly number[], pred: ArrayLike<number>): number {
  const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
  let ss = 0;
  let tot = 0;
  truth.forEach((t, i) => {
    ss += (t - pred[i]) ** 2;
    tot += (t - mean) ** 2;
  });
  return 1 - ss / tot;
}
