/**
 * Rows of the right shape for a model when no CSV is loaded, so its latency can still be measured:
 * standard-normal numbers for numeric inputs, one constant text for string inputs. Seeded. The values
 * mean nothing; only their shapes and types match the model's inputs.
 */
import type { Column, Table } from '../data/table';
import { createRng, type Rng } from '../analysis/random';
import { planOutputs } from './mapping';
import type { InputBinding, Mapping, ModelCard, Task, ValueSig } from './types';

const stats = () => ({ missing: 0, invalid: 0, distinct: 0, invalidExamples: [] as string[] });

/** Features of a matrix input when its width is symbolic and the model names none. */
export const DEFAULT_SYNTHETIC_WIDTH = 8;

function normal(rng: Rng): number {
  // Box-Muller; 1 - u keeps log away from 0.
  const u = 1 - rng(), v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function numericColumn(name: string, n: number, rng: Rng, integer: boolean): Column {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = integer ? Math.round(normal(rng) * 2) : normal(rng);
  return { kind: 'numeric', name, values, stats: stats() };
}

function width(input: ValueSig, card: ModelCard): number {
  const d = input.shape?.[1];
  if (typeof d === 'number' && d > 0) return d;
  return card.featureNames?.length ?? DEFAULT_SYNTHETIC_WIDTH;
}

/** A table of `n` synthetic rows and the mapping that feeds it to `card`'s inputs. */
export function syntheticData(card: ModelCard, n: number, seed = 1): { table: Table; mapping: Mapping } {
  const rng = createRng(seed);
  const columns: Column[] = [];
  const bindings: InputBinding[] = [];
  for (const input of card.inputs) {
    const rank = input.shape?.length ?? 2;
    const integer = input.elemType.startsWith('int') || input.elemType.startsWith('uint');
    if (input.elemType === 'string') {
      columns.push({ kind: 'categorical', name: input.name, categories: ['synthetic'], codes: new Int32Array(n), stats: stats() });
      bindings.push({ input: input.name, elemType: input.elemType, layout: rank === 1 ? 'vector' : 'column', columns: [input.name] });
      continue;
    }
    const w = rank === 2 ? width(input, card) : 1;
    if (rank === 2 && (w > 1 || input.shape?.[1] !== 1)) {
      const names = Array.from({ length: w }, (_, j) => `${input.name}[${j}]`);
      for (const name of names) columns.push(numericColumn(name, n, rng, integer));
      bindings.push({ input: input.name, elemType: input.elemType, layout: 'matrix', columns: names });
    } else {
      columns.push(numericColumn(input.name, n, rng, integer));
      bindings.push({ input: input.name, elemType: input.elemType, layout: rank === 1 ? 'vector' : 'column', columns: [input.name] });
    }
  }
  const classes = card.classLabels ?? [];
  const task: Task = classes.length > 2 ? 'multiclass' : classes.length === 2 ? 'binary' : 'regression';
  return {
    table: { nRows: n, columns },
    mapping: { bindings, target: null, task, classes, positiveClass: Math.min(1, Math.max(0, classes.length - 1)), outputs: planOutputs(card, task) },
  };
}
