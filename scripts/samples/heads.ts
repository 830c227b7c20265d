/**
 * Model heads written after the preprocessing, each in the node pattern a real exporter writes:
 * skl2onnx for LogisticRegression, GradientBoostingClassifier and LinearRegression, a PyTorch-like
 * Gemm/Relu/Softmax stack for the MLP, and a PyTorch module with its own normalisation layer and raw
 * logits (standard ops only) for the wine network.
 */
import type { onnx } from 'onnx-proto';
import type { Gbt } from './train/gbt';
import type { LinearModel } from './train/linear';
import type { BinaryLogistic, MultinomialLogistic } from './train/logistic';
import type { Mlp } from './train/mlp';
import { float, floats, floatTensor, int, ints, ML, node, seqMapValue, str, strs, tensorValue } from './onnx-builder';

export interface Head {
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  outputs: onnx.IValueInfoProto[];
  valueInfo: onnx.IValueInfoProto[];
}

/**
 * Binary LogisticRegression as skl2onnx writes it: LinearClassifier with the coefficients of both
 * classes (-w, w) and LOGISTIC post-transform, then an L1 Normalizer so the two sigmoids sum to one.
 * No ZipMap (skl2onnx's zipmap=False). Outputs `label` (string [N]) and `probabilities` (float [N,2]).
 */
export function binaryLogisticHead(features: string, m: BinaryLogistic, classes: [string, string]): Head {
  return {
    nodes: [
      node(
        'LinearClassifier',
        [features],
        ['label', 'probability_tensor'],
        {
          classlabels_strings: strs(classes),
          coefficients: floats([...m.w.map((v) => -v), ...m.w]),
          intercepts: floats([-m.b, m.b]),
          multi_class: int(0),
          post_transform: str('LOGISTIC'),
        },
        { domain: ML },
      ),
      node('Normalizer', ['probability_tensor'], ['probabilities'], { norm: str('L1') }, { domain: ML }),
    ],
    initializers: [],
    outputs: [tensorValue('label', 'string', ['N']), tensorValue('probabilities', 'float', ['N', 2])],
    valueInfo: [tensorValue('probability_tensor', 'float', ['N', 2])],
  };
}

/**
 * Multinomial LogisticRegression: LinearClassifier with SOFTMAX post-transform, outputs `label`
 * (string [N]) and `probabilities` (float [N,K]). No ZipMap.
 */
export function multinomialLogisticHead(features: string, m: MultinomialLogistic, classes: string[]): Head {
  return {
    nodes: [
      node(
        'LinearClassifier',
        [features],
        ['label', 'probabilities'],
        {
          classlabels_strings: strs(classes),
          coefficients: floats(m.w),
          intercepts: floats(m.b),
          multi_class: int(0),
          post_transform: str('SOFTMAX'),
        },
        { domain: ML },
      ),
    ],
    initializers: [],
    outputs: [tensorValue('label', 'string', ['N']), tensorValue('probabilities', 'float', ['N', classes.length])],
    valueInfo: [],
  };
}

/**
 * The Linear/ReLU stack as torch.onnx.export writes an nn.Sequential: Gemm (transB = 1, weights
 * [out, in], initializers `fcK.weight`/`fcK.bias`) and Relu between layers; the last Gemm writes `logits`.
 */
function gemmReluStack(features: string, m: Mlp): Head & { logits: string; classes: number } {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const valueInfo: onnx.IValueInfoProto[] = [];
  let cur = features;
  m.layers.forEach((l, i) => {
    const last = i === m.layers.length - 1;
    initializers.push(floatTensor(`fc${i + 1}.weight`, [l.out, l.in], l.w), floatTensor(`fc${i + 1}.bias`, [l.out], l.b));
    const z = last ? 'logits' : `fc${i + 1}_out`;
    nodes.push(node('Gemm', [cur, `fc${i + 1}.weight`, `fc${i + 1}.bias`], [z], { alpha: float(1), beta: float(1), transB: int(1) }, { name: `/fc${i + 1}/Gemm` }));
    valueInfo.push(tensorValue(z, 'float', ['N', l.out]));
    if (!last) {
      const a = `relu${i + 1}_out`;
      nodes.push(node('Relu', [z], [a], {}, { name: `/relu${i + 1}/Relu` }));
      valueInfo.push(tensorValue(a, 'float', ['N', l.out]));
      cur = a;
    } else cur = z;
  });
  return { nodes, initializers, outputs: [], valueInfo, logits: cur, classes: m.layers[m.layers.length - 1].out };
}

/**
 * The MLP as torch.onnx.export writes an nn.Sequential of Linear/ReLU: Gemm (transB = 1, weights
 * [out, in]) and Relu, then Softmax over classes for `probabilities` [N,K] and ArgMax for `label`
 * (int64 [N], an index into the class labels stored in metadata).
 */
export function mlpHead(features: string, m: Mlp): Head {
  const { nodes, initializers, valueInfo, logits, classes: k } = gemmReluStack(features, m);
  nodes.push(node('Softmax', [logits], ['probabilities'], { axis: int(1) }, { name: '/softmax/Softmax' }));
  nodes.push(node('ArgMax', ['probabilities'], ['label'], { axis: int(1), keepdims: int(0) }, { name: '/argmax/ArgMax' }));
  return {
    nodes,
    initializers,
    outputs: [tensorValue('probabilities', 'float', ['N', k]), tensorValue('label', 'int64', ['N'])],
    valueInfo,
  };
}

/**
 * A PyTorch classifier module as torch.onnx.export writes it, standard ops only: a normalisation layer
 * with its training mean and std as buffers (`norm.mean`, `norm.std`, shape [F], broadcast by Sub and
 * Div), the Linear/ReLU stack, and raw `logits` [N,K] as the only output (no Softmax, no ArgMax).
 */
export function torchLogitsHead(input: string, norm: { mean: ArrayLike<number>; std: ArrayLike<number> }, m: Mlp): Head {
  const f = m.layers[0].in;
  const stack = gemmReluStack('norm_out', m);
  return {
    nodes: [
      node('Sub', [input, 'norm.mean'], ['norm_centered'], {}, { name: '/norm/Sub' }),
      node('Div', ['norm_centered', 'norm.std'], ['norm_out'], {}, { name: '/norm/Div' }),
      ...stack.nodes,
    ],
    initializers: [floatTensor('norm.mean', [f], norm.mean), floatTensor('norm.std', [f], norm.std), ...stack.initializers],
    outputs: [tensorValue(stack.logits, 'float', ['N', stack.classes])],
    valueInfo: [tensorValue('norm_centered', 'float', ['N', f]), tensorValue('norm_out', 'float', ['N', f]), ...stack.valueInfo.filter((v) => v.name !== stack.logits)],
  };
}

/**
 * Binary GradientBoostingClassifier as skl2onnx writes it: one TreeEnsembleClassifier with all leaf
 * weights on class 0 (ORT's binary case), leaf weights pre-multiplied by the learning rate, the prior
 * log-odds in base_values and LOGISTIC post-transform; `probabilities` then goes through ZipMap into
 * `output_probability`, a seq(map(string, float)). Removing the ZipMap node and exposing
 * `probabilities` (typed in value_info) gives the tensor version.
 */
export function gbtHead(features: string, m: Gbt, classes: [string, string]): Head {
  const a = {
    nodes_treeids: [] as number[],
    nodes_nodeids: [] as number[],
    nodes_featureids: [] as number[],
    nodes_modes: [] as string[],
    nodes_values: [] as number[],
    nodes_truenodeids: [] as number[],
    nodes_falsenodeids: [] as number[],
    nodes_missing_value_tracks_true: [] as number[],
    nodes_hitrates: [] as number[],
    class_treeids: [] as number[],
    class_nodeids: [] as number[],
    class_ids: [] as number[],
    class_weights: [] as number[],
  };
  m.trees.forEach((tree, t) => {
    tree.forEach((n, id) => {
      const leaf = n.feature < 0;
      a.nodes_treeids.push(t);
      a.nodes_nodeids.push(id);
      a.nodes_featureids.push(leaf ? 0 : n.feature);
      a.nodes_modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      a.nodes_values.push(leaf ? 0 : n.threshold);
      a.nodes_truenodeids.push(leaf ? 0 : n.left);
      a.nodes_falsenodeids.push(leaf ? 0 : n.right);
      a.nodes_missing_value_tracks_true.push(0);
      a.nodes_hitrates.push(1);
      if (leaf) {
        a.class_treeids.push(t);
        a.class_nodeids.push(id);
        a.class_ids.push(0);
        a.class_weights.push(n.value * m.learningRate);
      }
    });
  });
  return {
    nodes: [
      node(
        'TreeEnsembleClassifier',
        [features],
        ['label', 'probabilities'],
        {
          base_values: floats([m.base]),
          class_ids: ints(a.class_ids),
          class_nodeids: ints(a.class_nodeids),
          class_treeids: ints(a.class_treeids),
          class_weights: floats(a.class_weights),
          classlabels_strings: strs(classes),
          nodes_falsenodeids: ints(a.nodes_falsenodeids),
          nodes_featureids: ints(a.nodes_featureids),
          nodes_hitrates: floats(a.nodes_hitrates),
          nodes_missing_value_tracks_true: ints(a.nodes_missing_value_tracks_true),
          nodes_modes: strs(a.nodes_modes),
          nodes_nodeids: ints(a.nodes_nodeids),
          nodes_treeids: ints(a.nodes_treeids),
          nodes_truenodeids: ints(a.nodes_truenodeids),
          nodes_values: floats(a.nodes_values),
          post_transform: str('LOGISTIC'),
        },
        { domain: ML },
      ),
      node('ZipMap', ['probabilities'], ['output_probability'], { classlabels_strings: strs(classes) }, { domain: ML }),
    ],
    initializers: [],
    outputs: [tensorValue('label', 'string', ['N']), seqMapValue('output_probability', 'string', 'float')],
    valueInfo: [tensorValue('probabilities', 'float', ['N', 2])],
  };
}

/**
 * LinearRegression as skl2onnx writes it: LinearRegressor on the [N, F] float input, output
 * `variable` float [N, 1].
 */
export function linearRegressionHead(features: string, m: LinearModel): Head {
  return {
    nodes: [node('LinearRegressor', [features], ['variable'], { coefficients: floats(m.w), intercepts: floats([m.b]), targets: int(1) }, { domain: ML })],
    initializers: [],
    outputs: [tensorValue('variable', 'float', ['N', 1])],
    valueInfo: [],
  };
}
