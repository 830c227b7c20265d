/** Model quality: metrics, curves, intervals, costs, slices and error analysis, all pure. */
export * from './metric';
export * from './curves';
export * from './binary';
export * from './multiclass';
export * from './regression';
export * from './bootstrap';
export * from './cost';
export * from './slices';
export * from './row-errors';
export * from './error-tree';
export * from './heatmap';
