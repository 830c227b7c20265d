/**
 * Build model input data from table columns, one batch of rows at a time. Plain typed arrays, not
 * onnxruntime tensors: the worker wraps them, and tests need no runtime.
 */
import type { Column, Table } from '../data/table';
import type { ElemType, InputBinding } from './types';

export type FeedType = 'float32' | 'float64' | 'int64' | 'int32' | 'string' | 'bool';

/** One input's data for `session.run`: `new ort.Tensor(type, data, dims)`. */
export interface FeedData {
  name: string;
  type: FeedType;
  dims: number[];
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | string[] | Uint8Array;
}

/** The tensor type Loupe feeds for an ONNX element type; null when it cannot build one. */
export function feedType(elemType: ElemType): FeedType | null {
  switch (elemType) {
    case 'float':
      return 'float32';
    case 'double':
      return 'float64';
    case 'int64':
      return 'int64';
    case 'int32':
      return 'int32';
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    default:
      return null;
  }
}

const TRUTHY = new Set(['true', 'yes', 'y', 't', '1', 'on']);

/** Whether a category text spells true (true/yes/y/t/1/on, any case); everything else is false. */
export function isTruthy(text: string): boolean {
  return TRUTHY.has(text.trim().toLowerCase());
}

/**
 * Numbers for each category of a categorical/boolean column: boolean columns read 1/0 by spelling
 * (true/yes/y/t/1); other categories parse as numbers when they are numeric text, else NaN.
 */
function categoryNumbers(col: Extract<Column, { codes: Int32Array }>): Float64Array {
  const out = new Float64Array(col.categories.length);
  for (let k = 0; k < out.length; k++) {
    const text = col.categories[k];
    if (col.kind === 'boolean') {
      out[k] = isTruthy(text) ? 1 : 0;
    } else {
      const t = text.trim();
      const lower = t.toLowerCase();
      out[k] = t === '' ? NaN : TRUTHY.has(lower) ? 1 : lower === 'false' || lower === 'no' ? 0 : Number(t);
    }
  }
  return out;
}

/**
 * Inputs for rows [start, end) of `table`, one per binding.
 *
 * Layouts: 'matrix' → [n, F] filled row-major in binding column order; 'column' → [n, 1]; 'vector' → [n].
 * Conversions:
 * - numeric column → float/double as is (missing = NaN); → int64/int32 truncated toward zero, missing = 0;
 *   → string as JavaScript prints the number ('3', '2.5'), missing = ''; → bool: non-zero = true.
 * - boolean column → numbers 1/0 by spelling (true/yes/y/t/1 are 1); → string as spelled in the file.
 * - categorical column → string: the category text, missing = '' (sklearn pipelines usually impute before
 *   encoding; '' is what an imputer with an empty fill value would see); → numbers: the text parsed as a
 *   number (NaN/0 when it is not one).
 * - an unmapped slot (null column) is filled with NaN (floats), 0 (integers), '' or false.
 * Throws when a bound column is missing from the table or the element type cannot be fed.
 */
export function buildFeeds(table: Table, bindings: InputBinding[], start: number, end: number): FeedData[] {
  const n = Math.max(0, Math.min(end, table.nRows) - start);
  return bindings.map((b) => buildFeed(table, b, start, n));
}

function buildFeed(table: Table, b: InputBinding, start: number, n: number): FeedData {
  const type = feedType(b.elemType);
  if (!type) throw new Error(`Input '${b.input}' has element type '${b.elemType}', which Loupe cannot feed.`);
  const width = b.layout === 'matrix' ? b.columns.length : 1;
  const dims = b.layout === 'matrix' ? [n, width] : b.layout === 'column' ? [n, 1] : [n];
  const cols = b.columns.slice(0, width).map((name) => {
    if (name === null) return null;
    const col = table.columns.find((c) => c.name === name);
    if (!col) throw new Error(`Input '${b.input}' is bound to column '${name}', which the CSV does not have.`);
    return col;
  });
  while (cols.length < width) cols.push(null);
  const size = n * width;
  switch (type) {
    case 'float32': {
      const data = new Float32Array(size);
      cols.forEach((c, j) => fillFloat(data, c, start, n, width, j));
      return { name: b.input, type, dims, data };
    }
    case 'float64': {
      const data = new Float64Array(size);
      cols.forEach((c, j) => fillFloat(data, c, start, n, width, j));
      return { name: b.input, type, dims, data };
    }
    case 'int64': {
      const data = new BigInt64Array(size);
      // Write both 32-bit halves through an Int32 view: no BigInt per cell (little-endian, as every browser).
      const halves = new Int32Array(data.buffer, data.byteOffset, size * 2);
      cols.forEach((c, j) => fillInt64(halves, c, start, n, width, j));
      return { name: b.input, type, dims, data };
    }
    case 'int32': {
      const data = new Int32Array(size);
      cols.forEach((c, j) => fillInt32(data, c, start, n, width, j));
      return { name: b.input, type, dims, data };
    }
    case 'bool': {
      const data = new Uint8Array(size);
      cols.forEach((c, j) => fillBool(data, c, start, n, width, j));
      return { name: b.input, type, dims, data };
    }
    case 'string': {
      const data = new Array<string>(size).fill('');
      cols.forEach((c, j) => fillString(data, c, start, n, width, j));
      return { name: b.input, type, dims, data };
    }
  }
}

function fillFloat(out: Float32Array | Float64Array, col: Column | null, start: number, n: number, stride: number, offset: number): void {
  if (col === null) {
    for (let i = 0, k = offset; i < n; i++, k += stride) out[k] = NaN;
  } else if (col.kind === 'numeric') {
    const v = col.values;
    for (let i = 0, k = offset; i < n; i++, k += stride) out[k] = v[start + i];
  } else {
    const lookup = categoryNumbers(col);
    const codes = col.codes;
    for (let i = 0, k = offset; i < n; i++, k += stride) {
      const c = codes[start + i];
      out[k] = c < 0 ? NaN : lookup[c];
    }
  }
}

/** Per-row numbers of a column (NaN for missing), without allocating per cell. */
function numberAt(col: Column, lookup: Float64Array | null, row: number): number {
  if (col.kind === 'numeric') return col.values[row];
  const c = col.codes[row];
  return c < 0 ? NaN : lookup![c];
}

const TWO_32 = 4294967296;

function fillInt64(halves: Int32Array, col: Column | null, start: number, n: number, stride: number, offset: number): void {
  if (col === null) return; // zeros
  const lookup = col.kind === 'numeric' ? null : categoryNumbers(col);
  for (let i = 0, k = offset; i < n; i++, k += stride) {
    const v = Math.trunc(numberAt(col, lookup, start + i));
    if (!Number.isFinite(v)) continue;
    const hi = Math.floor(v / TWO_32);
    halves[2 * k] = (v - hi * TWO_32) | 0;
    halves[2 * k + 1] = hi | 0;
  }
}

function fillInt32(out: Int32Array, col: Column | null, start: number, n: number, stride: number, offset: number): void {
  if (col === null) return;
  const lookup = col.kind === 'numeric' ? null : categoryNumbers(col);
  for (let i = 0, k = offset; i < n; i++, k += stride) {
    const v = numberAt(col, lookup, start + i);
    out[k] = Number.isFinite(v) ? Math.trunc(v) : 0;
  }
}

function fillBool(out: Uint8Array, col: Column | null, start: number, n: number, stride: number, offset: number): void {
  if (col === null) return;
  const lookup = col.kind === 'numeric' ? null : categoryNumbers(col);
  for (let i = 0, k = offset; i < n; i++, k += stride) {
    const v = numberAt(col, lookup, start + i);
    out[k] = v !== 0 && !Number.isNaN(v) ? 1 : 0;
  }
}

function fillString(out: string[], col: Column | null, start: number, n: number, stride: number, offset: number): void {
  if (col === null) return;
  if (col.kind === 'numeric') {
    const v = col.values;
    for (let i = 0, k = offset; i < n; i++, k += stride) {
      const x = v[start + i];
      out[k] = Number.isNaN(x) ? '' : String(x);
    }
  } else {
    const { codes, categories } = col;
    for (let i = 0, k = offset; i < n; i++, k += stride) {
      const c = codes[start + i];
      out[k] = c < 0 ? '' : categories[c];
    }
  }
}
