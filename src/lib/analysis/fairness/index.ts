/** Fairness: sensitive groups and intersections, group metrics, disparities, post-processing fixes and their cost, proxies; all pure. */
export * from './groups';
export * from './group-metrics';
export * from './disparities';
export * from './roc-hull';
export * from './postprocess';
export * from './tradeoff';
export * from './proxies';
