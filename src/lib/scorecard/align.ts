/**
 * A second model judged on the primary model's CSV must be read the same way: the same target, the
 * same task, and the positive class matched by its name (models may order their classes differently).
 */
import type { Table } from '../data/table';
import { column } from '../data/table';
import type { Mapping, ModelCard } from '../model/types';
import { proposeMapping, validateMapping } from '../model/mapping';
import { classesFromColumn, labelKey } from '../analysis/predictions';

export type AlignResult = { mapping: Mapping; error: null } | { mapping: null; error: string };

/**
 * Proposes a mapping of `table` for `card` and aligns it with `reference` (the primary model's):
 * target and task copied, classes from the model (or the target column when it declares none), the
 * positive class found by name. Returns an error in words when the model cannot be judged alike: a
 * different kind of task, a class of the reference it does not predict, or a mapping error (a column
 * it needs is missing or of the wrong type).
 */
export function alignMapping(card: ModelCard, table: Table, reference: Mapping): AlignResult {
  const fail = (error: string): AlignResult => ({ mapping: null, error });
  const { mapping } = proposeMapping(card, table);
  const ref = reference;
  const isReg = (t: Mapping['task']) => t === 'regression';
  if (isReg(mapping.task) !== isReg(ref.task)) {
    return fail(isReg(ref.task) ? 'it is a classifier, and the primary model predicts a number (regression).' : 'it predicts a number (regression), and the primary model is a classifier.');
  }
  mapping.target = ref.target;
  mapping.task = ref.task;
  if (!isReg(ref.task)) {
    const col = ref.target ? column(table, ref.target) : undefined;
    if (!card.classLabels && col) mapping.classes = classesFromColumn(col);
    const keys = mapping.classes.map(labelKey);
    const missing = ref.classes.filter((c) => !keys.includes(labelKey(c)));
    if (ref.task === 'binary') {
      const name = ref.classes[ref.positiveClass];
      const p = keys.indexOf(labelKey(name ?? ''));
      if (p < 0) return fail(`it does not predict the positive class '${name}' (its classes: ${mapping.classes.map((c) => `'${c}'`).join(', ')}).`);
      if (mapping.classes.length !== 2) return fail(`it predicts ${mapping.classes.length} classes, and the primary model is binary.`);
      mapping.positiveClass = p;
    } else if (missing.length) {
      return fail(`it does not predict the class${missing.length > 1 ? 'es' : ''} ${missing.map((c) => `'${c}'`).join(', ')}.`);
    }
  }
  if (ref.target && mapping.bindings.some((b) => b.columns.includes(ref.target))) return fail(`it would read the target column '${ref.target}' as an input.`);
  const errors = validateMapping(card, table, mapping).filter((i) => i.level === 'error');
  if (errors.length) return fail(`it does not fit this CSV: ${errors.map((e) => e.message).join(' ')}`);
  return { mapping, error: null };
}
