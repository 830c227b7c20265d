import { describe, expect, test } from 'vitest';
import {
  ColumnBuilder,
  DICTIONARY_LIMIT,
  booleanValue,
  distinctNumbers,
  inferColumn,
  isMissingText,
  parseNumber,
} from '../../../src/lib/data/infer';
import { cellText, type CategoricalColumn, type Column, type NumericColumn } from '../../../src/lib/data/table';

function numeric(col: Column): NumericColumn {
  expect(col.kind).toBe('numeric');
  return col as NumericColumn;
}

function coded(col: Column, kind: 'categorical' | 'boolean'): CategoricalColumn {
  expect(col.kind).toBe(kind);
  return col as CategoricalColumn;
}

function seeded(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('parseNumber', () => {
  test('reads plain, signed, exponent and padded numbers', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber('-3.25')).toBe(-3.25);
    expect(parseNumber('+7')).toBe(7);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5.')).toBe(5);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('-2.5E-2')).toBe(-0.025);
    expect(parseNumber('  12.5 ')).toBe(12.5);
    expect(parseNumber('3\r')).toBe(3);
    expect(parseNumber('12345678901234567890')).toBe(12345678901234567890);
    expect(Object.is(parseNumber('-0'), -0)).toBe(true);
  });

  test('rejects words, literals JavaScript would accept, and non-finite values', () => {
    for (const s of ['', ' ', '-', '+', '.', 'abc', '1.2.3', '1,5', '1_000', '0x1F', '0b11', '0o7', 'Infinity', '-Infinity', '1e999', 'NaN', '5%', '$5', '1 2']) {
      expect(parseNumber(s), s).toBeNaN();
    }
  });

  test('reads decimal commas only when asked', () => {
    expect(parseNumber('1,5', true)).toBe(1.5);
    expect(parseNumber('-0,25', true)).toBe(-0.25);
    expect(parseNumber('1,234,5', true)).toBeNaN();
    expect(parseNumber('1.234,5', true)).toBeNaN();
    expect(parseNumber('2.5', true)).toBe(2.5);
  });

  test('the fast path agrees with Number() on random decimals', () => {
    const rnd = seeded(7);
    const wrong: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const digits = 1 + Math.floor(rnd() * 17);
      let s = rnd() < 0.3 ? '-' : '';
      for (let d = 0; d < digits; d++) s += Math.floor(rnd() * 10);
      if (rnd() < 0.7) {
        const at = Math.floor(rnd() * (s.length + 1));
        s = s.slice(0, at) + '.' + s.slice(at);
      }
      if (!Object.is(parseNumber(s), Number(s))) wrong.push(s);
    }
    expect(wrong).toEqual([]);
  });
});

describe('cell words', () => {
  test('missing tokens, any case, padded', () => {
    for (const s of ['', '  ', 'NA', 'na', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', '?', ' NA ', '#N/A', '<NA>']) {
      expect(isMissingText(s), s).toBe(true);
    }
    for (const s of ['0', 'n.a.', 'missing', 'NAN1', 'nope', 'none', 'None']) expect(isMissingText(s), s).toBe(false);
  });

  test("'none' is a category in a text column but missing in a numeric one", () => {
    const text = inferColumn('guarantors', ['none', 'guarantor', 'none', 'co-applicant', 'None']);
    expect(text.kind).toBe('categorical');
    expect(text.stats.missing).toBe(0);
    expect(text.kind !== 'numeric' && text.categories).toContain('none');
    const cells = Array.from({ length: 40 }, (_, i) => String(i));
    cells[3] = 'None';
    cells[7] = 'abc';
    const num = inferColumn('x', cells);
    expect(num.kind).toBe('numeric');
    expect(num.stats.missing).toBe(1);
    expect(num.stats.invalid).toBe(1);
    expect(num.stats.invalidExamples).toEqual(['abc']);
    // The same in number mode (more distinct numbers than the dictionary holds).
    const many = Array.from({ length: 2000 }, (_, i) => String(i + 0.5));
    many[1500] = 'none';
    const big = inferColumn('y', many);
    expect(big.kind).toBe('numeric');
    expect(big.stats.missing).toBe(1);
    expect(big.stats.invalid).toBe(0);
  });

  test('boolean words', () => {
    expect(booleanValue('TRUE')).toBe(true);
    expect(booleanValue(' no ')).toBe(false);
    expect(booleanValue('Y')).toBe(true);
    expect(booleanValue('f')).toBe(false);
    expect(booleanValue('1')).toBeUndefined();
    expect(booleanValue('maybe')).toBeUndefined();
  });
});

describe('inferColumn', () => {
  test('numeric column with missing tokens', () => {
    const col = numeric(inferColumn('x', ['1', ' 2.5', 'NA', '', 'null', '-4', '?', 'None', 'N/A', 'nan']));
    expect([...col.values]).toEqual([1, 2.5, NaN, NaN, NaN, -4, NaN, NaN, NaN, NaN]);
    expect(col.stats).toEqual({ missing: 7, invalid: 0, distinct: 3, invalidExamples: [] });
  });

  test('a few texts in a numeric column are invalid, counted, with distinct examples', () => {
    const cells = Array.from({ length: 200 }, (_, i) => String(i % 50));
    cells[3] = 'oops';
    cells[10] = 'n.a.';
    cells[11] = 'oops';
    cells[12] = ' ten ';
    const col = numeric(inferColumn('x', cells));
    expect(col.stats.invalid).toBe(4);
    expect(col.stats.missing).toBe(0);
    expect(col.stats.invalidExamples).toEqual(['oops', 'n.a.', 'ten']);
    expect(col.values[3]).toBeNaN();
    expect(col.values[4]).toBe(4);
    expect(col.stats.distinct).toBe(50);
  });

  test('at most 5 invalid examples', () => {
    const cells = Array.from({ length: 1000 }, (_, i) => (i % 100 === 0 ? `bad${i}` : String(i)));
    const col = numeric(inferColumn('x', cells));
    expect(col.stats.invalid).toBe(10);
    expect(col.stats.invalidExamples).toEqual(['bad0', 'bad100', 'bad200', 'bad300', 'bad400']);
  });

  test('95% of non-missing cells decide numeric', () => {
    const nineteen = [...Array.from({ length: 19 }, (_, i) => String(i)), 'x', 'NA', 'NA'];
    expect(inferColumn('a', nineteen).kind).toBe('numeric');
    const eighteen = [...Array.from({ length: 18 }, (_, i) => String(i)), 'x', 'y'];
    const col = coded(inferColumn('b', eighteen), 'categorical');
    expect(col.categories.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(col.stats.distinct).toBe(20);
  });

  test('0/1 stays numeric', () => {
    const col = numeric(inferColumn('onehot', ['0', '1', '1', '0', '', '1']));
    expect(col.stats.distinct).toBe(2);
    expect(col.stats.missing).toBe(1);
  });

  test('boolean words become a boolean column; spellings merge to the first seen', () => {
    const col = coded(inferColumn('b', ['True', 'False', 'true', 'NA', 'FALSE', 'True']), 'boolean');
    expect(col.categories).toEqual(['True', 'False']);
    expect([...col.codes]).toEqual([0, 1, 0, -1, 1, 0]);
    expect(col.stats).toEqual({ missing: 1, invalid: 0, distinct: 2, invalidExamples: [] });
    expect(coded(inferColumn('b', ['no', 'yes', 'Yes']), 'boolean').categories).toEqual(['no', 'yes']);
    expect(coded(inferColumn('b', ['Y', 'N']), 'boolean').categories).toEqual(['Y', 'N']);
    expect(coded(inferColumn('b', ['t', 'f', 't']), 'boolean').categories).toEqual(['t', 'f']);
    expect(inferColumn('b', ['yes', 'yes']).kind).toBe('boolean');
  });

  test('not boolean: mixed pairs, single letters alone, 0/1 with words', () => {
    expect(inferColumn('b', ['yes', 'false']).kind).toBe('categorical');
    expect(inferColumn('b', ['F', 'F', 'F']).kind).toBe('categorical');
    expect(inferColumn('b', ['M', 'F']).kind).toBe('categorical');
    expect(inferColumn('b', ['1', '0', 'yes', 'no']).kind).toBe('categorical');
  });

  test('categorical: trimmed, first-seen order, -1 for missing', () => {
    const col = coded(inferColumn('c', [' red', 'blue ', 'red', '', 'NA', 'green', 'blue']), 'categorical');
    expect(col.categories).toEqual(['red', 'blue', 'green']);
    expect([...col.codes]).toEqual([0, 1, 0, -1, -1, 2, 1]);
    expect(col.stats).toEqual({ missing: 2, invalid: 0, distinct: 3, invalidExamples: [] });
  });

  test('padded and clean spellings of a text share one category, whichever comes first', () => {
    const col = coded(inferColumn('c', [' x', 'x', 'x ', 'NA', ' NA', 'y', '  y  ']), 'categorical');
    expect(col.categories).toEqual(['x', 'y']);
    expect([...col.codes]).toEqual([0, 0, 0, -1, -1, 1, 1]);
    expect(col.stats.missing).toBe(2);
    expect(col.stats.distinct).toBe(2);
  });

  test('a column with no values is numeric and all missing', () => {
    const col = numeric(inferColumn('e', ['', 'NA', ' ']));
    expect(col.stats.missing).toBe(3);
    expect(col.values.every(Number.isNaN)).toBe(true);
  });

  test('many distinct numbers switch to number mode and keep every value and invalid cell', () => {
    const rnd = seeded(3);
    const cells: string[] = [];
    for (let i = 0; i < 3 * DICTIONARY_LIMIT; i++) cells.push((rnd() * 1e4 - 5e3).toFixed(3));
    cells[5] = 'early text';
    cells[2 * DICTIONARY_LIMIT] = 'late text';
    cells[2 * DICTIONARY_LIMIT + 1] = 'NA';
    cells[2 * DICTIONARY_LIMIT + 2] = 'late text';
    const col = numeric(inferColumn('big', cells));
    expect(col.stats.invalid).toBe(3);
    expect(col.stats.missing).toBe(1);
    expect(col.stats.invalidExamples).toEqual(['early text', 'late text']);
    const expected = cells.map((s) => Number(s));
    expect(Array.from(col.values)).toEqual(expected);
    expect(col.stats.distinct).toBe(new Set(expected.filter((v) => !Number.isNaN(v))).size);
  });

  test('texts that become common after many numbers still give a correct categorical column', () => {
    const cells: string[] = [];
    for (let i = 0; i < DICTIONARY_LIMIT + 1000; i++) cells.push(String(i));
    for (let i = 0; i < DICTIONARY_LIMIT; i++) cells.push(i % 3 === 0 ? 'NA' : `t${i % 7}`);
    const col = coded(inferColumn('late', cells), 'categorical');
    for (let i = 0; i < cells.length; i++) {
      expect(cellText(col, i)).toBe(isMissingText(cells[i]) ? '' : cells[i]);
    }
    expect(col.stats.distinct).toBe(DICTIONARY_LIMIT + 1000 + 7);
  });

  test('many distinct texts stay categorical', () => {
    const cells = Array.from({ length: 20_000 }, (_, i) => `id_${i}`);
    const col = coded(inferColumn('id', cells), 'categorical');
    expect(col.stats.distinct).toBe(cells.length);
    expect(cellText(col, 12345)).toBe('id_12345');
  });

  test('builder capacity grows past its hint', () => {
    const b = new ColumnBuilder('x', { capacity: 1 });
    for (let i = 0; i < 1000; i++) b.push(String(i));
    b.pushMissing();
    const col = numeric(b.finish());
    expect(col.values.length).toBe(1001);
    expect(col.values[999]).toBe(999);
    expect(col.values[1000]).toBeNaN();
  });
});

describe('distinctNumbers', () => {
  test('counts like a Set, ignoring NaN, with 0 and -0 once', () => {
    expect(distinctNumbers(new Float64Array([]))).toBe(0);
    expect(distinctNumbers(new Float64Array([NaN, NaN]))).toBe(0);
    expect(distinctNumbers(new Float64Array([0, -0, 1, 1, NaN, 2.5]))).toBe(3);
    const rnd = seeded(11);
    const big = Float64Array.from({ length: 200_000 }, () => (rnd() < 0.01 ? NaN : Math.round(rnd() * 50_000) / 4));
    expect(distinctNumbers(big)).toBe(new Set(Array.from(big).filter((v) => !Number.isNaN(v))).size);
  });
});
