/**
 * Drift between a reference and a current table: schema differences, per-feature statistics (PSI, KS,
 * chi-square, Jensen-Shannon, Wasserstein) with a severity, prediction and label drift, metric
 * changes and drift over time windows. All pure.
 */
export * from './special';
export * from './ks';
export * from './chi-square';
export * from './jensen-shannon';
export * from './wasserstein';
export * from './psi';
export * from './schema';
export * from './feature-drift';
export * from './prediction';
export * from './windows';
export { sortedFinite } from './sorted';
