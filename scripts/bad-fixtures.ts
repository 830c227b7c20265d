/**
 * Writes the bad-input corpus that is too big, binary or generated to commit (see
 * `test/fixtures/bad/README.md` for every file and the message the page must show). Models are built
 * with the samples' own ONNX writer. Run `npx tsx scripts/bad-fixtures.ts [dir]`; the browser tests call
 * `writeBadFixtures()` from their `beforeAll`.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, ftruncateSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, floatTensor, int, int64Tensor, node, tensorValue } from './samples/onnx-builder';
import { Rng } from './samples/prng';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the corpus goes by default (gitignored). */
export const BAD_DIR = join(ROOT, '.tmp', 'bad');

/** The strings the injection test plants in the CSV and the model. */
export const INJECTIONS = {
  img: '<img src=x onerror="window.__pwned=1">',
  script: '<script>window.__pwned=1</script>',
  bold: '"><b>x</b>',
} as const;

/** Size of the sparse "huge" model and CSV: 1 GiB, above `MAX_MODEL_BYTES` and `MAX_CSV_BYTES`. */
export const HUGE_BYTES = 1024 ** 3;
/** Length of the one field of `long-field.csv`: 10 MiB. */
export const LONG_FIELD_CHARS = 10 * 1024 * 1024;

export interface BadFiles {
  randomModel: string;
  truncatedModel: string;
  emptyModel: string;
  unsupportedOpModel: string;
  imageModel: string;
  textModel: string;
  widthMismatchModel: string;
  hugeModel: string;
  hugeCsv: string;
  runFailsModel: string;
  oomModel: string;
  injectionModel: string;
  garbageCsv: string;
  longFieldCsv: string;
}

/** The seven numeric columns of credit.csv, in file order. */
const CREDIT_NUMERIC = 7;

/** Probabilities [N, 2] from a float matrix [N, F]: Gemm with fixed weights, then Softmax. */
function softmaxHead(input: string, features: number, extraNodes: ReturnType<typeof node>[] = [], source = input) {
  const w = Array.from({ length: features * 2 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.01) * ((i % 5) + 1));
  return {
    nodes: [...extraNodes, node('Gemm', [source, 'W', 'B'], ['logits']), node('Softmax', ['logits'], ['probabilities'], { axis: int(1) })],
    initializers: [floatTensor('W', [features, 2], w), floatTensor('B', [2], [0.1, -0.1])],
  };
}

function models(sample: Uint8Array): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const rng = new Rng(9);
  out['random.onnx'] = Uint8Array.from({ length: 4096 }, () => rng.int(256));
  out['truncated.onnx'] = sample.slice(0, Math.floor(sample.length / 2));
  out['empty.onnx'] = new Uint8Array(0);

  // An op no onnxruntime build has, in the standard domain: inspection passes, session creation fails.
  const frob = softmaxHead('x', 2, [node('LoupeFrobnicate', ['x'], ['xf'])], 'xf');
  out['unsupported-op.onnx'] = buildModel({
    graph: {
      name: 'unsupported',
      nodes: frob.nodes,
      inputs: [tensorValue('x', 'float', ['N', 2])],
      outputs: [tensorValue('probabilities', 'float', ['N', 2])],
      initializers: frob.initializers,
    },
    opsets: [{ domain: '', version: 15 }],
  });

  out['image.onnx'] = buildModel({
    graph: {
      name: 'image',
      nodes: [node('GlobalAveragePool', ['pixels'], ['pooled']), node('Flatten', ['pooled'], ['scores'], { axis: int(1) })],
      inputs: [tensorValue('pixels', 'float', ['N', 3, 224, 224])],
      outputs: [tensorValue('scores', 'float', ['N', 3])],
    },
    opsets: [{ domain: '', version: 15 }],
  });

  // A string sequence per example ([N, sequence] of words), as text classifiers with a tokenizer take.
  out['text.onnx'] = buildModel({
    graph: {
      name: 'text',
      nodes: [node('Shape', ['words'], ['shape']), node('Cast', ['shape'], ['scores'], { to: int(1) })],
      inputs: [tensorValue('words', 'string', ['N', 'sequence'])],
      outputs: [tensorValue('scores', 'float', [2])],
    },
    opsets: [{ domain: '', version: 15 }],
  });

  // Twelve features against credit.csv's seven numeric columns.
  const wide = softmaxHead('features', 12);
  out['width-mismatch.onnx'] = buildModel({
    graph: {
      name: 'wide',
      nodes: wide.nodes,
      inputs: [tensorValue('features', 'float', ['N', 12])],
      outputs: [tensorValue('probabilities', 'float', ['N', 2])],
      initializers: wide.initializers,
    },
    opsets: [{ domain: '', version: 15 }],
  });

  // Passes inspection and mapping (float [N, 7] = credit.csv's numeric columns) but Gather reads
  // feature 100, so onnxruntime throws inside session.run.
  const gather = softmaxHead('features', 2, [node('Gather', ['features', 'idx'], ['picked'], { axis: int(1) })], 'picked');
  out['run-fails.onnx'] = buildModel({
    graph: {
      name: 'run_fails',
      nodes: gather.nodes,
      inputs: [tensorValue('features', 'float', ['N', CREDIT_NUMERIC])],
      outputs: [tensorValue('probabilities', 'float', ['N', 2])],
      initializers: [...gather.initializers, int64Tensor('idx', [2], [0, 100])],
    },
    opsets: [{ domain: '', version: 15 }],
  });

  // One row at a time (fixed batch 1, credit.csv's seven numeric columns) expanded to 2^29 floats (2 GiB):
  // more than onnxruntime-web's WebAssembly heap gives one tensor, so the run fails inside ort.
  out['oom.onnx'] = buildModel({
    graph: {
      name: 'oom',
      nodes: [
        node('ReduceSum', ['features', 'axes1'], ['sum'], { keepdims: int(1) }),
        node('Unsqueeze', ['sum', 'axes2'], ['cube']),
        node('Expand', ['cube', 'shape'], ['big']),
        node('ReduceSum', ['big', 'axes2'], ['logits'], { keepdims: int(0) }),
        node('Softmax', ['logits'], ['probabilities'], { axis: int(1) }),
      ],
      inputs: [tensorValue('features', 'float', [1, CREDIT_NUMERIC])],
      outputs: [tensorValue('probabilities', 'float', [1, 2])],
      initializers: [int64Tensor('axes1', [1], [1]), int64Tensor('axes2', [1], [2]), int64Tensor('shape', [3], [1, 2, 2 ** 28])],
    },
    opsets: [{ domain: '', version: 15 }],
  });

  // HTML in every text field a model card shows: producer, doc strings, metadata, graph and input names.
  const { img, script, bold } = INJECTIONS;
  const inj = softmaxHead('pair', 2);
  out['injection.onnx'] = buildModel({
    graph: {
      name: `graph ${bold}`,
      docString: `graph doc ${img}`,
      nodes: [node('Concat', [img, bold], ['pair'], { axis: int(1) }, { docString: script }), ...inj.nodes],
      inputs: [tensorValue(img, 'float', ['N', 1], script), tensorValue(bold, 'float', ['N', 1])],
      outputs: [tensorValue('probabilities', 'float', ['N', 2], bold)],
      initializers: inj.initializers,
    },
    opsets: [{ domain: '', version: 15 }],
    producerName: script,
    producerVersion: bold,
    domain: img,
    docString: `model doc ${script} ${img} ${bold}`,
    metadata: { [img]: script, description: bold, [script]: img },
  });
  return out;
}

function csvs(): Record<string, Uint8Array> {
  const rng = new Rng(17);
  // Random bytes: about half above 0x7f and some NULs, so no encoding reads them as text.
  const garbage = Uint8Array.from({ length: 64 * 1024 }, () => rng.int(256));
  const head = 'id,comment,Class\n1,"';
  const tail = '",Good\n2,short,Bad\n';
  const long = new Uint8Array(head.length + LONG_FIELD_CHARS + tail.length);
  long.set(new TextEncoder().encode(head), 0);
  long.fill(0x78, head.length, head.length + LONG_FIELD_CHARS); // 'x'
  long.set(new TextEncoder().encode(tail), head.length + LONG_FIELD_CHARS);
  return { 'garbage.csv': garbage, 'long-field.csv': long };
}

/** A sparse file of `bytes` (no disk blocks): what a 1 GiB download looks like to the file picker. */
function sparse(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Writes the corpus under `dir` (default `.tmp/bad/`) and returns the paths. Cheap to call again. */
export function writeBadFixtures(dir: string = BAD_DIR): BadFiles {
  mkdirSync(dir, { recursive: true });
  const sample = new Uint8Array(readFileSync(join(ROOT, 'static/samples/credit-gbt.onnx')));
  const files = { ...models(sample), ...csvs() };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const huge = join(dir, 'huge.onnx');
  const hugeCsv = join(dir, 'huge.csv');
  for (const path of [huge, hugeCsv]) if (statSync(path, { throwIfNoEntry: false })?.size !== HUGE_BYTES) sparse(path, HUGE_BYTES);
  const p = (name: string) => join(dir, name);
  return {
    randomModel: p('random.onnx'),
    truncatedModel: p('truncated.onnx'),
    emptyModel: p('empty.onnx'),
    unsupportedOpModel: p('unsupported-op.onnx'),
    imageModel: p('image.onnx'),
    textModel: p('text.onnx'),
    widthMismatchModel: p('width-mismatch.onnx'),
    hugeModel: huge,
    hugeCsv,
    runFailsModel: p('run-fails.onnx'),
    oomModel: p('oom.onnx'),
    injectionModel: p('injection.onnx'),
    garbageCsv: p('garbage.csv'),
    longFieldCsv: p('long-field.csv'),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = writeBadFixtures(process.argv[2] ? resolve(process.argv[2]) : BAD_DIR);
  for (const [key, path] of Object.entries(files)) console.log(`${key.padEnd(20)} ${statSync(path).size.toLocaleString('en-US').padStart(15)} B  ${path}`);
}
