/**
 * Whether a current table has the reference's columns, with the same types, and every difference
 * explained in words: the first thing to check before any drift statistic means anything.
 */
import { parseNumber } from '../../data/infer';
import type { CategoricalColumn, Column, ColumnKind, Table } from '../../data/table';

export interface TypeChange {
  name: string;
  ref: ColumnKind;
  cur: ColumnKind;
  explanation: string;
}

export interface SchemaComparison {
  /** Columns present in both, in reference order. */
  matched: string[];
  /** Reference columns the current table lacks. */
  missingInCurrent: string[];
  /** Current columns the reference lacks. */
  extraInCurrent: string[];
  /** Matched columns whose inferred type differs. */
  typeChanges: TypeChange[];
  /** Pairs of a missing and an extra column whose names differ only in case or spacing. */
  likelyRenames: { ref: string; cur: string }[];
  /** Whether the matched columns come in a different order (harmless for per-column models). */
  orderChanged: boolean;
  rows: { ref: number; cur: number };
  /** True when the two tables have the same columns with the same types. */
  same: boolean;
  /** Every difference, one sentence each. */
  messages: string[];
}

const KIND_WORDS: Record<ColumnKind, string> = { numeric: 'numeric', categorical: 'text (categorical)', boolean: 'yes/no (boolean)' };

const quoteList = (xs: readonly string[], max = 5) =>
  xs.slice(0, max).map((x) => `'${x}'`).join(', ') + (xs.length > max ? `, … (${xs.length - max} more)` : '');

/** Categories of a categorical column that do not read as numbers. */
function nonNumericCategories(col: CategoricalColumn): string[] {
  return col.categories.filter((c) => Number.isNaN(parseNumber(c)));
}

function explainTypeChange(ref: Column, cur: Column): string {
  const name = `'${ref.name}'`;
  const head = `${name} is ${KIND_WORDS[ref.kind]} in the reference but ${KIND_WORDS[cur.kind]} in the current file`;
  if (ref.kind === 'numeric' && cur.kind !== 'numeric') {
    const texts = nonNumericCategories(cur);
    if (texts.length === 0) return `${head}.`;
    return `${head}: values such as ${quoteList(texts, 3)} are not numbers.`;
  }
  if (ref.kind !== 'numeric' && cur.kind === 'numeric') {
    const texts = nonNumericCategories(ref);
    const extra = cur.stats.invalid > 0 ? `; ${cur.stats.invalid} current cells are not numbers and read as missing` : '';
    return texts.length > 0
      ? `${head}: the reference has values such as ${quoteList(texts, 3)} that are not numbers, the current file almost only numbers${extra}.`
      : `${head}${extra}.`;
  }
  const curCats = (cur as CategoricalColumn).categories;
  const refCats = (ref as CategoricalColumn).categories;
  return `${head}: ${refCats.length} distinct values (${quoteList(refCats, 3)}) against ${curCats.length} (${quoteList(curCats, 3)}).`;
}

const normalizeName = (s: string) => s.toLowerCase().replace(/[\s_\-.]+/g, '');

/** Compares the columns of a reference and a current table by name (exact, case-sensitive). */
export function compareSchemas(ref: Table, cur: Table): SchemaComparison {
  const curByName = new Map(cur.columns.map((c) => [c.name, c]));
  const refNames = new Set(ref.columns.map((c) => c.name));
  const matched: string[] = [];
  const missingInCurrent: string[] = [];
  const typeChanges: TypeChange[] = [];
  for (const r of ref.columns) {
    const c = curByName.get(r.name);
    if (!c) {
      missingInCurrent.push(r.name);
      continue;
    }
    matched.push(r.name);
    if (c.kind !== r.kind) typeChanges.push({ name: r.name, ref: r.kind, cur: c.kind, explanation: explainTypeChange(r, c) });
  }
  const extraInCurrent = cur.columns.filter((c) => !refNames.has(c.name)).map((c) => c.name);

  const likelyRenames: { ref: string; cur: string }[] = [];
  for (const m of missingInCurrent) {
    const hit = extraInCurrent.find((e) => normalizeName(e) === normalizeName(m));
    if (hit !== undefined) likelyRenames.push({ ref: m, cur: hit });
  }
  const curOrder = cur.columns.map((c) => c.name).filter((n) => refNames.has(n));
  const orderChanged = curOrder.some((n, i) => n !== matched[i]);

  const messages: string[] = [];
  if (missingInCurrent.length > 0) {
    messages.push(`The current file lacks ${missingInCurrent.length === 1 ? 'column' : 'columns'} ${quoteList(missingInCurrent, 10)}; drift is not measured for ${missingInCurrent.length === 1 ? 'it' : 'them'}.`);
  }
  if (extraInCurrent.length > 0) {
    messages.push(`The current file has ${extraInCurrent.length === 1 ? 'a column' : 'columns'} the reference lacks: ${quoteList(extraInCurrent, 10)}.`);
  }
  for (const r of likelyRenames) messages.push(`'${r.cur}' in the current file is probably '${r.ref}' renamed; a model reads columns by exact name.`);
  for (const t of typeChanges) messages.push(t.explanation);
  if (orderChanged) messages.push('The columns come in a different order; models that read columns by name are not affected.');
  const same = missingInCurrent.length === 0 && extraInCurrent.length === 0 && typeChanges.length === 0;
  return { matched, missingInCurrent, extraInCurrent, typeChanges, likelyRenames, orderChanged, rows: { ref: ref.nRows, cur: cur.nRows }, same, messages };
}
