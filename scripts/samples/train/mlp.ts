/**
 * A small multilayer perceptron (ReLU hidden layers, softmax output) trained with Adam on softmax
 * cross-entropy, initialised like PyTorch's nn.Linear (uniform +-1/sqrt(fan_in)) from a seeded Rng.
 */
import type { Rng } from '../prng';
import { softmaxRows } from './logistic';

export interface Dense {
  /** out x in row-major, PyTorch's nn.Linear layout (Gemm with transB = 1). */
  w: Float64Array;
  b: Float64Array;
  in: number;
  out: number;
}

export interface Mlp {
  layers: Dense[];
}

export interface MlpOptions {
  hidden: number[];
  classes: number;
  epochs: number;
  batch: number;
  learningRate: number;
  /** L2 penalty added to the weight gradients (not biases). */
  weightDecay: number;
}

function dense(inSize: number, outSize: number, rng: Rng): Dense {
  const bound = 1 / Math.sqrt(inSize);
  const w = new Float64Array(outSize * inSize);
  const b = new Float64Array(outSize);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * bound;
  for (let i = 0; i < b.length; i++) b[i] = (2 * rng.next() - 1) * bound;
  return { w, b, in: inSize, out: outSize };
}

/** Forward pass of one row; returns every layer's activations (input first, softmax last). */
function forward(m: Mlp, row: Float64Array): Float64Array[] {
  const acts = [row];
  m.layers.forEach((l, li) => {
    const prev = acts[acts.length - 1];
    const z = new Float64Array(l.out);
    for (let o = 0; o < l.out; o++) {
      let s = l.b[o];
      for (let i = 0; i < l.in; i++) s += l.w[o * l.in + i] * prev[i];
      z[o] = li < m.layers.length - 1 ? Math.max(0, s) : s;
    }
    acts.push(li < m.layers.length - 1 ? z : softmaxRows(z, l.out));
  });
  return acts;
}

/** Train on row-major `x` (n x f) with class-index targets. */
export function fitMlp(x: Float64Array, n: number, f: number, y: readonly number[], opts: MlpOptions, rng: Rng): Mlp {
  const sizes = [f, ...opts.hidden, opts.classes];
  const m: Mlp = { layers: sizes.slice(1).map((s, i) => dense(sizes[i], s, rng)) };
  const params = m.layers.flatMap((l) => [l.w, l.b]);
  const mom = params.map((p) => new Float64Array(p.length));
  const vel = params.map((p) => new Float64Array(p.length));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let step = 0;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < n; start += opts.batch) {
      const batch = order.slice(start, start + opts.batch);
      const grads = params.map((p) => new Float64Array(p.length));
      for (const r of batch) {
        const acts = forward(m, x.subarray(r * f, (r + 1) * f));
        let delta = Float64Array.from(acts[acts.length - 1]);
        delta[y[r]] -= 1;
        for (let li = m.layers.length - 1; li >= 0; li--) {
          const l = m.layers[li];
          const input = acts[li];
          const gw = grads[2 * li];
          const gb = grads[2 * li + 1];
          const back = new Float64Array(l.in);
          for (let o = 0; o < l.out; o++) {
            const d = delta[o];
            if (d === 0) continue;
            gb[o] += d;
            for (let i = 0; i < l.in; i++) {
              gw[o * l.in + i] += d * input[i];
              back[i] += d * l.w[o * l.in + i];
            }
          }
          // ReLU derivative of the layer below (its activations are `input`).
          if (li > 0) for (let i = 0; i < l.in; i++) if (input[i] <= 0) back[i] = 0;
          delta = back;
        }
      }
      step++;
      params.forEach((p, pi) => {
        const g = grads[pi];
        const isWeight = pi % 2 === 0;
        for (let j = 0; j < p.length; j++) {
          const gj = g[j] / batch.length + (isWeight ? opts.weightDecay * p[j] : 0);
          mom[pi][j] = beta1 * mom[pi][j] + (1 - beta1) * gj;
          vel[pi][j] = beta2 * vel[pi][j] + (1 - beta2) * gj * gj;
          const mh = mom[pi][j] / (1 - beta1 ** step);
          const vh = vel[pi][j] / (1 - beta2 ** step);
          p[j] -= (opts.learningRate * mh) / (Math.sqrt(vh) + eps);
        }
      });
    }
  }
  return m;
}

/** Row-major n x classes probabilities. */
export function predictMlp(m: Mlp, x: Float64Array, n: number): Float64Array {
  const f = m.layers[0].in;
  const k = m.layers[m.layers.length - 1].out;
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) out.set(forward(m, x.subarray(r * f, (r + 1) * f)).at(-1) as Float64Array, r * k);
  return out;
}
