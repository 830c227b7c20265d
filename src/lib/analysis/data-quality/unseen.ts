/**
 * Values a model's one-hot encoder does not know. skl2onnx's OneHotEncoder matches the exact text
 * against its `cats_strings` and encodes anything else as all zeros, silently: these cells reach the
 * model as "none of the known categories".
 */
import { cellText, type Column } from '../../data/table';

export interface UnseenCategories {
  /** Unknown values with their row counts, most frequent first. */
  values: { value: string; count: number }[];
  /** Rows holding an unknown value. */
  rows: number;
  /** First such row indexes, ascending. */
  examples: number[];
}

/**
 * The values of `col` (non-missing cells, compared exactly as text, as the encoder does) that are not in
 * `known`. A numeric column is compared by its cell text ('3' for 3), for encoders fed numbers as text.
 */
export function unseenCategories(col: Column, known: readonly string[], maxExamples = 10): UnseenCategories {
  const knownSet = new Set(known);
  const counts = new Map<string, number>();
  const examples: number[] = [];
  let rows = 0;
  const n = col.kind === 'numeric' ? col.values.length : col.codes.length;
  // Categorical: decide once per category, not per row.
  const unknownCode = col.kind === 'numeric' ? null : col.categories.map((c) => !knownSet.has(c));
  for (let i = 0; i < n; i++) {
    let text: string;
    if (unknownCode !== null && col.kind !== 'numeric') {
      const c = col.codes[i];
      if (c < 0 || !unknownCode[c]) continue;
      text = col.categories[c];
    } else {
      text = cellText(col, i);
      if (text === '' || knownSet.has(text)) continue;
    }
    rows++;
    counts.set(text, (counts.get(text) ?? 0) + 1);
    if (examples.length < maxExamples) examples.push(i);
  }
  const values = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
  return { values, rows, examples };
}
