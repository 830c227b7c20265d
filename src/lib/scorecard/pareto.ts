/**
 * The Pareto front of latency against quality: the models no other model beats on both at once.
 */

export interface ParetoPoint {
  /** Cost axis, lower is better (p95 latency, ms); null when not measured. */
  cost: number | null;
  /** Quality axis (a metric); null when unknown. */
  quality: number | null;
}

/**
 * Indexes of the non-dominated points, ordered by ascending cost (ties by descending quality, then
 * index). A point is dominated when another has cost ≤ its cost and quality at least as good, with
 * one of the two strictly better; identical points dominate neither, so both stay on the front.
 * Quality is better when higher unless `higherIsBetter` is false (RMSE). Points with a missing or
 * non-finite value are not judged (never on the front).
 */
export function paretoFront(points: readonly ParetoPoint[], higherIsBetter = true): number[] {
  const q = (p: ParetoPoint) => (higherIsBetter ? p.quality! : -p.quality!);
  const ok = points.map((p, i) => ({ p, i })).filter(({ p }) => p.cost !== null && p.quality !== null && Number.isFinite(p.cost) && Number.isFinite(p.quality));
  const front = ok.filter(({ p }) =>
    !ok.some(({ p: o }) => o.cost! <= p.cost! && q(o) >= q(p) && (o.cost! < p.cost! || q(o) > q(p))),
  );
  return front.sort((a, b) => a.p.cost! - b.p.cost! || q(b.p) - q(a.p) || a.i - b.i).map(({ i }) => i);
}
