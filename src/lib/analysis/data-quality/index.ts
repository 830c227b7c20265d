/**
 * Data quality: column profiles, values a model does not know, per-row problems, duplicate rows,
 * constant columns, the missing-value strategy and label-quality hints. All pure.
 */
export * from './histogram';
export * from './profile';
export * from './unseen';
export * from './rows';
export * from './impute';
export * from './label-quality';
