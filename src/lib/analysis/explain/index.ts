/**
 * Explanations, all pure and over CSV columns: KernelSHAP against any predictor, exact TreeSHAP and
 * linear attributions read from the ONNX graph, permutation importance, partial dependence with ICE,
 * what-if edits and counterfactuals. Model-agnostic methods call a {@link Predictor} in chunks and
 * expose `estimate...Calls` (model rows) so a cost can be shown before starting.
 */
export * from './run';
export * from './output';
export * from './cells';
export * from './background';
export * from './attributions';
export * from './kernel-shap';
export * from './graph-features';
export * from './model-head';
export * from './tree-shap';
export * from './linear';
export * from './permutation';
export * from './pdp';
export * from './counterfactual';
export * from './what-if';
export * from './waterfall';
