/**
 * Column type inference: the rules that read one cell (missing? number? boolean word?) and a streaming
 * `ColumnBuilder` that accumulates a column compactly and decides its kind once all cells are seen.
 */
import type { CategoricalColumn, Column, ColumnStats, NumericColumn } from './table';

/** Share of non-missing cells that must read as finite numbers for a column to be numeric. */
export const NUMERIC_SHARE = 0.95;

/** At most this many invalid cell texts are kept per column, for messages. */
export const MAX_INVALID_EXAMPLES = 5;

/**
 * Distinct raw spellings a column may collect before a mostly-numeric column stops keeping them.
 * Below it every cell is one lookup in a small Map (one-hot, counts, ages); above it the column is
 * read number by number, which is faster than a lookup in a large Map, and only its non-numeric
 * cells are remembered. Columns that are not mostly numeric try again at each doubling.
 */
export const DICTIONARY_LIMIT = 256;

/** Cell texts read as missing, compared after trimming and lower-casing. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  'na',
  'n/a',
  '#n/a',
  '<na>',
  'nan',
  '-nan',
  'null',
  '?',
]);

/**
 * Words that mean "missing" only inside a numeric column. In a text column 'none' is usually a real
 * category (no guarantor, no other loans), so there it stays a value.
 */
export const NUMERIC_MISSING_TOKENS: ReadonlySet<string> = new Set(['none']);

function isNumericMissingWord(t: string): boolean {
  return t.length <= MAX_MISSING_TOKEN && NUMERIC_MISSING_TOKENS.has(t.toLowerCase());
}

const MAX_MISSING_TOKEN = 4;

/** Whether a cell text (untrimmed) is empty or a missing-value token such as NA, NaN, null, '?'. */
export function isMissingText(text: string): boolean {
  const t = text.trim();
  return t.length <= MAX_MISSING_TOKEN && MISSING_TOKENS.has(t.toLowerCase());
}

/**
 * The finite number a cell text spells, or NaN. Accepts surrounding whitespace, a sign, decimals and
 * exponents ('  +1.5e3 '); rejects hex/octal/binary literals, Infinity and thousands separators.
 * With `decimalComma` (files delimited by ';'), '1,5' reads as 1.5.
 */
export function parseNumber(text: string, decimalComma = false): number {
  // Fast path for plain decimals ('-12.345'): with at most 15 digits the mantissa is an exact integer
  // and one division by an exact power of ten rounds correctly, so this equals Number(text).
  const len = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i = 1;
  let mantissa = 0;
  let digits = 0;
  let dot = -1;
  for (; i < len; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && dot < 0) dot = digits;
    else break;
  }
  if (i === len && digits > 0 && digits <= 15) {
    const v = dot < 0 || dot === digits ? mantissa : mantissa / POW10[digits - dot];
    return negative ? -v : v;
  }
  return parseNumberSlow(text, decimalComma);
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

function parseNumberSlow(text: string, decimalComma: boolean): number {
  let s = text;
  let c = s.charCodeAt(0);
  if (c <= 32 || s.charCodeAt(s.length - 1) <= 32) {
    s = s.trim();
    c = s.charCodeAt(0);
  }
  // Only digits, signs and '.' may start a number; this skips Number() for most words.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return NaN;
  let v = Number(s);
  if (v !== v) {
    if (!decimalComma) return NaN;
    const comma = s.indexOf(',');
    if (comma < 0 || s.indexOf(',', comma + 1) >= 0 || s.indexOf('.') >= 0) return NaN;
    v = Number(s.slice(0, comma) + '.' + s.slice(comma + 1));
  } else if (c === 48 && s.length > 2) {
    const c1 = s.charCodeAt(1) | 0x20;
    if (c1 === 0x78 || c1 === 0x62 || c1 === 0x6f) return NaN; // 0x.., 0b.., 0o..
  }
  return v - v === 0 ? v : NaN;
}

const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
  ['t', 'f'],
];

/** The truth value a boolean word spells (true/false, yes/no, y/n, t/f, any case), else undefined. */
export function booleanValue(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  for (const [yes, no] of BOOLEAN_PAIRS) {
    if (t === yes) return true;
    if (t === no) return false;
  }
  return undefined;
}

/**
 * Which pair of boolean words a set of distinct texts uses, or undefined when they are not all from one
 * pair. A single value counts only when it is a whole word ('yes', 'false'): a column of only 'F' is
 * more likely a category than a boolean.
 */
function booleanPair(texts: readonly string[]): readonly [string, string] | undefined {
  if (texts.length === 0 || texts.length > 8) return undefined;
  const lower = new Set(texts.map((t) => t.toLowerCase()));
  if (lower.size > 2) return undefined;
  for (const pair of BOOLEAN_PAIRS) {
    if (![...lower].every((t) => t === pair[0] || t === pair[1])) continue;
    if (lower.size === 1 && pair[0].length === 1) return undefined;
    return pair;
  }
  return undefined;
}

/**
 * A copy of `s` that does not keep alive the larger string it was cut from (V8 slices share memory
 * with their parent: a category cut from a 1 MB chunk would otherwise pin the whole chunk).
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function growFloat(a: Float64Array, min: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(Math.max(min, Math.ceil(a.length * 1.5) + 16));
  b.set(a);
  return b;
}

function growInt(a: Int32Array, min: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(min, Math.ceil(a.length * 1.5) + 16));
  b.set(a);
  return b;
}

export interface ColumnBuilderOptions {
  /** Read '1,5' as 1.5 (set for ';'-delimited files). Default false. */
  decimalComma?: boolean;
  /** Expected number of cells; storage grows past it. Default 1024. */
  capacity?: number;
}

/**
 * Accumulates one column's cells without keeping one string per cell, then decides its kind.
 *
 * While the column has few distinct spellings it stores an Int32 code per cell into a dictionary of
 * trimmed texts (each text parsed once). When a mostly-numeric column passes `DICTIONARY_LIMIT`
 * spellings it switches to a Float64 per cell plus a sparse list of its non-numeric cells.
 */
export class ColumnBuilder {
  readonly name: string;
  private readonly decimalComma: boolean;
  private n = 0;
  private missing = 0;

  // Dictionary mode (raw === null once the column has switched to number mode): every spelling seen,
  // padded or not and missing tokens included, to its code; each category's own text is a key too.
  private raw: Map<string, number> | null = new Map();
  private codes: Int32Array | null;
  private readonly cats: string[] = [];
  private readonly catValue: number[] = [];
  private readonly catCount: number[] = [];
  private nextSwitchCheck = DICTIONARY_LIMIT;

  // Number mode.
  private values: Float64Array | null = null;
  /** Number mode: text of each non-numeric category to its code. */
  private readonly textIndex = new Map<string, number>();
  private numbers = 0;
  private texts = 0;
  private textRows = new Int32Array(0);
  private textCodes = new Int32Array(0);
  /** Entries used in textRows/textCodes. */
  private sparse = 0;

  constructor(name: string, options: ColumnBuilderOptions = {}) {
    this.name = name;
    this.decimalComma = options.decimalComma ?? false;
    this.codes = new Int32Array(Math.max(16, options.capacity ?? 1024));
  }

  /** Cells pushed so far. */
  get length(): number {
    return this.n;
  }

  /** Adds one cell as it appears in the file (surrounding whitespace allowed). */
  push(text: string): void {
    const raw = this.raw;
    if (raw !== null) {
      let code = raw.get(text);
      if (code === undefined) {
        if (raw.size >= this.nextSwitchCheck) {
          if (this.switchToNumberMode()) return this.pushNumberMode(text);
          this.nextSwitchCheck *= 2;
        }
        code = this.addSpelling(text);
      }
      let codes = this.codes!;
      if (this.n === codes.length) codes = this.codes = growInt(codes, this.n + 1);
      codes[this.n++] = code;
      if (code < 0) this.missing++;
      else this.catCount[code]++;
      return;
    }
    this.pushNumberMode(text);
  }

  /** Adds a missing cell (a field absent from a short row). */
  pushMissing(): void {
    this.push('');
  }

  private addSpelling(text: string): number {
    const raw = this.raw!;
    const t = text.trim();
    let code = t === text ? undefined : raw.get(t);
    if (code === undefined) {
      if (t.length <= MAX_MISSING_TOKEN && MISSING_TOKENS.has(t.toLowerCase())) code = -1;
      else {
        code = this.cats.length;
        const kept = detach(t);
        this.cats.push(kept);
        this.catValue.push(parseNumber(t, this.decimalComma));
        this.catCount.push(0);
        // The category's own text is a key too, so that later spellings of it, padded or not, find it.
        raw.set(kept, code);
        if (t === text) return code;
      }
    }
    raw.set(detach(text), code);
    return code;
  }

  /** Leaves dictionary mode if the column is mostly numbers; returns whether it did. */
  private switchToNumberMode(): boolean {
    let numbers = 0;
    let texts = 0;
    for (let c = 0; c < this.cats.length; c++) {
      if (this.catValue[c] === this.catValue[c]) numbers += this.catCount[c];
      else texts += this.catCount[c];
    }
    if (numbers < NUMERIC_SHARE * (numbers + texts)) return false;

    const codes = this.codes!;
    const n = this.n;
    const values = new Float64Array(codes.length);
    // Texts keep their dictionary codes; numbers leave the dictionary (their spelling is dropped).
    for (let i = 0; i < n; i++) {
      const code = codes[i];
      if (code < 0) values[i] = NaN;
      else {
        const v = this.catValue[code];
        values[i] = v;
        if (v !== v) this.pushText(i, code);
      }
    }
    for (let c = 0; c < this.cats.length; c++) if (this.catValue[c] !== this.catValue[c]) this.textIndex.set(this.cats[c], c);
    this.values = values;
    this.numbers = numbers;
    this.texts = texts;
    this.codes = null;
    this.raw = null;
    return true;
  }

  private pushText(row: number, code: number): void {
    const k = this.sparse;
    if (k === this.textRows.length) {
      this.textRows = growInt(this.textRows, k + 1);
      this.textCodes = growInt(this.textCodes, k + 1);
    }
    this.textRows[k] = row;
    this.textCodes[k] = code;
    this.sparse = k + 1;
  }

  private pushNumberMode(text: string): void {
    let values = this.values!;
    if (this.n === values.length) values = this.values = growFloat(values, this.n + 1);
    const i = this.n++;
    if (text.length === 0) {
      values[i] = NaN;
      this.missing++;
      return;
    }
    const v = parseNumber(text, this.decimalComma);
    values[i] = v;
    if (v === v) {
      this.numbers++;
      return;
    }
    const t = text.trim();
    if (t.length <= MAX_MISSING_TOKEN && (MISSING_TOKENS.has(t.toLowerCase()) || isNumericMissingWord(t))) {
      this.missing++;
      return;
    }
    let code = this.textIndex.get(t);
    if (code === undefined) {
      code = this.cats.length;
      const kept = detach(t);
      this.textIndex.set(kept, code);
      this.cats.push(kept);
      this.catValue.push(NaN);
      this.catCount.push(0);
    }
    this.catCount[code]++;
    this.texts++;
    this.pushText(i, code);
  }

  /** Decides the column's kind and returns it with exact-length arrays. The builder is spent after. */
  finish(): Column {
    return this.raw !== null ? this.finishDictionary() : this.finishNumbers();
  }

  private finishDictionary(): Column {
    const n = this.n;
    const codes = this.codes!;
    const { cats, catValue, catCount } = this;
    let numbers = 0;
    let texts = 0;
    let softMissing = 0;
    for (let c = 0; c < cats.length; c++) {
      if (catValue[c] === catValue[c]) numbers += catCount[c];
      else if (isNumericMissingWord(cats[c])) softMissing += catCount[c];
      else texts += catCount[c];
    }
    const nonMissing = numbers + texts;

    if (nonMissing === 0 || numbers >= NUMERIC_SHARE * nonMissing) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const code = codes[i];
        values[i] = code < 0 ? NaN : catValue[code];
      }
      const distinct = new Set<number>();
      const examples: string[] = [];
      for (let c = 0; c < cats.length; c++) {
        if (catValue[c] === catValue[c]) distinct.add(catValue[c]);
        else if (!isNumericMissingWord(cats[c]) && examples.length < MAX_INVALID_EXAMPLES) examples.push(cats[c]);
      }
      return numeric(this.name, values, {
        missing: this.missing + softMissing,
        invalid: texts,
        distinct: distinct.size,
        invalidExamples: examples,
      });
    }

    const exact = codes.length === n ? codes : codes.slice(0, n);
    const pair = booleanPair(cats);
    if (pair) return toBoolean(this.name, exact, cats, pair, this.missing);
    return {
      kind: 'categorical',
      name: this.name,
      codes: exact,
      categories: cats,
      stats: { missing: this.missing, invalid: 0, distinct: cats.length, invalidExamples: [] },
    };
  }

  private finishNumbers(): Column {
    const n = this.n;
    const values = this.values!;
    const nonMissing = this.numbers + this.texts;
    if (this.numbers >= NUMERIC_SHARE * nonMissing) {
      const exact = values.length === n ? values : values.slice(0, n);
      return numeric(this.name, exact, {
        missing: this.missing,
        invalid: this.texts,
        distinct: distinctNumbers(exact),
        invalidExamples: this.cats.filter((_, c) => this.catValue[c] !== this.catValue[c]).slice(0, MAX_INVALID_EXAMPLES),
      });
    }
    // Rare: texts became common only after many distinct numbers. Numbers come back in their
    // canonical spelling ('1.50' reads '1.5'), since their original text was not kept.
    const codes = new Int32Array(n);
    const index = new Map<string, number>();
    const categories: string[] = [];
    const intern = (t: string): number => {
      let c = index.get(t);
      if (c === undefined) {
        c = categories.length;
        index.set(t, c);
        categories.push(t);
      }
      return c;
    };
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (k < this.sparse && this.textRows[k] === i) {
        codes[i] = intern(this.cats[this.textCodes[k++]]);
      } else {
        const v = values[i];
        codes[i] = v === v ? intern(String(v)) : -1;
      }
    }
    return {
      kind: 'categorical',
      name: this.name,
      codes,
      categories,
      stats: { missing: this.missing, invalid: 0, distinct: categories.length, invalidExamples: [] },
    };
  }
}

function numeric(name: string, values: Float64Array, stats: ColumnStats): NumericColumn {
  return { kind: 'numeric', name, values, stats };
}

function toBoolean(
  name: string,
  codes: Int32Array,
  cats: readonly string[],
  pair: readonly [string, string],
  missing: number,
): CategoricalColumn {
  // Spelling variants ('Yes', 'yes') merge into the first-seen spelling of each truth value.
  const categories: string[] = [];
  const remap = new Int32Array(cats.length);
  const byTruth = new Map<string, number>();
  for (let c = 0; c < cats.length; c++) {
    const key = cats[c].toLowerCase() === pair[0] ? 'true' : 'false';
    let code = byTruth.get(key);
    if (code === undefined) {
      code = categories.length;
      byTruth.set(key, code);
      categories.push(cats[c]);
    }
    remap[c] = code;
  }
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = remap[codes[i]];
  return {
    kind: 'boolean',
    name,
    codes,
    categories,
    stats: { missing, invalid: 0, distinct: categories.length, invalidExamples: [] },
  };
}

function hashWords(lo: number, hi: number): number {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Distinct non-NaN values (0 and -0 count once). The values are first grouped by the top bits of their
 * hash so that each group's hash set fits in cache: about twice as fast as one big set at 1M values.
 */
export function distinctNumbers(values: Float64Array): number {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n); // little-endian: lo, hi
  const partBits = Math.max(0, Math.min(10, Math.ceil(Math.log2(n / 8192))));
  const parts = 1 << partBits;
  const shift = 32 - partBits;
  const hashes = new Uint32Array(n);
  const bounds = new Int32Array(parts + 1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    const h = v === 0 ? 0 : hashWords(words[2 * i], words[2 * i + 1]);
    hashes[i] = h;
    bounds[partBits === 0 ? 1 : (h >>> shift) + 1]++;
    m++;
  }
  for (let p = 0; p < parts; p++) bounds[p + 1] += bounds[p];
  const next = bounds.slice(0, parts);
  const grouped = new Float64Array(m);
  const groupedHashes = new Uint32Array(m);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    const h = hashes[i];
    const at = next[partBits === 0 ? 0 : h >>> shift]++;
    grouped[at] = v === 0 ? 0 : v;
    groupedHashes[at] = h;
  }
  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, bounds[p + 1] - bounds[p]);

  let size = 16;
  while (size < largest * 2) size *= 2;
  const mask = size - 1;
  const keys = new Float64Array(size);
  const used = new Uint8Array(size);
  let distinct = 0;
  for (let p = 0; p < parts; p++) {
    used.fill(0);
    for (let j = bounds[p]; j < bounds[p + 1]; j++) {
      const v = grouped[j];
      let k = groupedHashes[j] & mask;
      while (used[k] === 1 && keys[k] !== v) k = (k + 1) & mask;
      if (used[k] === 0) {
        used[k] = 1;
        keys[k] = v;
        distinct++;
      }
    }
  }
  return distinct;
}

/** Infers one column from its cell texts, with the same rules as CSV parsing. */
export function inferColumn(name: string, cells: readonly string[], options: ColumnBuilderOptions = {}): Column {
  const b = new ColumnBuilder(name, { capacity: cells.length, ...options });
  for (const cell of cells) b.push(cell);
  return b.finish();
}
