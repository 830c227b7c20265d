import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { MAX_FIELD_CHARS, MAX_ROW_CHARS, delimiterWarning, detectDelimiter, parseCsv, uniqueNames, type ParsedCsv } from '../../../src/lib/data/csv';
import { cellText, column, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../../../src/lib/data/table';

const fixture = (name: string) => new URL(`../../fixtures/csv/${name}`, import.meta.url);
const fixtureBlob = (name: string) => new Blob([readFileSync(fixture(name))]);
// The project's own copies of ../shared/datasets (same bytes), so the test runs wherever the repo is cloned.
const DATASETS = new URL('../../../scripts/samples/data', import.meta.url).pathname;

function col(table: Table, name: string): Column {
  const c = column(table, name);
  if (!c) throw new Error(`no column ${name}; have ${table.columns.map((x) => x.name).join(', ')}`);
  return c;
}

function num(table: Table, name: string): NumericColumn {
  const c = col(table, name);
  expect(c.kind, name).toBe('numeric');
  return c as NumericColumn;
}

function cat(table: Table, name: string): CategoricalColumn {
  const c = col(table, name);
  expect(c.kind, name).not.toBe('numeric');
  return c as CategoricalColumn;
}

/** Every cell as text, row by row: a chunking-independent picture of a table. */
function cells(table: Table): string[][] {
  return Array.from({ length: table.nRows }, (_, r) => table.columns.map((c) => cellText(c, r)));
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('parseCsv: format', () => {
  test('reads a simple file and reports it', async () => {
    const { table, report } = await parseCsv('a,b,c\n1,x,true\n2,y,false\n', { fileName: 'simple.csv' });
    expect(table.nRows).toBe(2);
    expect(table.columns.map((c) => [c.name, c.kind])).toEqual([
      ['a', 'numeric'],
      ['b', 'categorical'],
      ['c', 'boolean'],
    ]);
    expect(report).toMatchObject({
      fileName: 'simple.csv',
      bytes: 25,
      delimiter: ',',
      hadBom: false,
      encoding: 'utf-8',
      rows: 2,
      raggedRows: 0,
      raggedExamples: [],
      emptyLines: 0,
      renamedColumns: [],
      warnings: [],
    });
  });

  test('takes the name of a File', async () => {
    const file = new File(['a\n1\n'], 'named.csv');
    expect((await parseCsv(file, {})).report.fileName).toBe('named.csv');
  });

  test('UTF-8 byte-order mark is reported and not part of the first name', async () => {
    const { table, report } = await parseCsv('\uFEFFid,v\n1,2\n', {});
    expect(report.hadBom).toBe(true);
    expect(table.columns[0].name).toBe('id');
  });

  test('semicolon file with decimal commas', async () => {
    const { table, report } = await parseCsv(fixtureBlob('semicolon.csv'), {});
    expect(report.delimiter).toBe(';');
    expect([...num(table, 'price').values]).toEqual([1.5, 2.25, 10]);
    expect(cat(table, 'label').categories).toEqual(['cheap', 'dear']);
    expect(cat(table, 'flag').kind).toBe('boolean');
  });

  test('tab and pipe delimiters', async () => {
    const tab = await parseCsv('name\tage\tcity\nAnn\t31\tOslo, Norway\nBo\t42\tRome\n', {});
    expect(tab.report.delimiter).toBe('\t');
    expect([...num(tab.table, 'age').values]).toEqual([31, 42]);
    expect(cat(tab.table, 'city').categories).toEqual(['Oslo, Norway', 'Rome']);
    const pipe = await parseCsv('a|b\n1|2\n3|4\n', {});
    expect(pipe.report.delimiter).toBe('|');
    expect([...num(pipe.table, 'b').values]).toEqual([2, 4]);
  });

  test('a delimiter other than a comma is announced, unless the extension says it', async () => {
    const semi = await parseCsv(fixtureBlob('semicolon.csv'), { fileName: 'prices.csv' });
    expect(semi.report.warnings).toEqual([
      "Columns are separated by semicolons (';'), not commas; Loupe detected this and read the file that way; decimal commas such as '1,5' were read as 1.5.",
    ]);
    const tabText = 'a\tb\n1\t2\n';
    expect((await parseCsv(tabText, { fileName: 'x.csv' })).report.warnings).toEqual([
      'Columns are separated by tabs, not commas; Loupe detected this and read the file that way.',
    ]);
    expect((await parseCsv(tabText, { fileName: 'x.tsv' })).report.warnings).toEqual([]);
    expect((await parseCsv('a|b\n1|2\n', { fileName: 'x.psv' })).report.warnings).toEqual([]);
    expect((await parseCsv('a,b\n1,2\n', { fileName: 'x.csv' })).report.warnings).toEqual([]);
    expect(delimiterWarning(',', 'x.txt')).toEqual([]);
    expect(delimiterWarning('|', 'x.csv')[0]).toMatch(/^Columns are separated by pipes \('\|'\)/);
  });

  test('the bad-input corpus semicolon file: credit rows read with semicolons into the same columns as credit.csv', async () => {
    const semi = await parseCsv(new Blob([readFileSync('test/fixtures/bad/semicolon.csv')]), { fileName: 'semicolon.csv' });
    const comma = await parseCsv(readFileSync('static/samples/credit.csv', 'utf8').split('\n').slice(0, 41).join('\n'), {});
    expect(semi.report.delimiter).toBe(';');
    expect(semi.table.columns.map((c) => c.name)).toEqual(comma.table.columns.map((c) => c.name));
    expect(semi.table.nRows).toBe(40);
    expect([...num(semi.table, 'Amount').values]).toEqual([...num(comma.table, 'Amount').values]);
  });

  test('delimiter guess follows consistent field counts and respects quotes', () => {
    expect(detectDelimiter('a;b;c\n1,5;2,5;3\n4;5;6\n')).toBe(';');
    expect(detectDelimiter('a,b\n"x;y;z",1\n"p;q;r",2\n')).toBe(',');
    expect(detectDelimiter('only\n1\n2\n')).toBe(',');
    expect(detectDelimiter('a|b|c\n1|2|3', '\n', true)).toBe('|');
  });

  test('quoted fields with delimiters, newlines and doubled quotes', async () => {
    const csv = 'id,text\n1,"hello, world"\n2,"line one\nline two"\n3,"she said ""hi"""\n4,""\n5,"  padded  "\n';
    const { table, report } = await parseCsv(csv, {});
    expect(report.rows).toBe(5);
    const text = cat(table, 'text');
    expect(text.categories).toEqual(['hello, world', 'line one\nline two', 'she said "hi"', 'padded']);
    expect(text.codes[3]).toBe(-1);
    expect(report.warnings).toEqual([]);
  });

  test('CRLF line ends, also after quoted fields', async () => {
    const { table, report } = await parseCsv('a,b,c\r\n1,x,"q"\r\n2,y,"r\r\ns"\r\n', {});
    expect(report.rows).toBe(2);
    expect(table.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(cat(table, 'b').categories).toEqual(['x', 'y']);
    expect(cat(table, 'c').categories).toEqual(['q', 'r\r\ns']);
    expect(report.warnings).toEqual([]);
  });

  test('bare CR line ends', async () => {
    const { table } = await parseCsv('a,b\r1,2\r3,4\r', {});
    expect(table.nRows).toBe(2);
    expect([...num(table, 'b').values]).toEqual([2, 4]);
  });

  test('blank lines are skipped and counted, leading ones included', async () => {
    const { table, report } = await parseCsv('\n\na,b\n1,2\n\n   \n3,4\n\n', {});
    expect(report.emptyLines).toBe(5);
    expect(report.rows).toBe(2);
    expect([...num(table, 'a').values]).toEqual([1, 3]);
  });

  test('a last line without a line end is read', async () => {
    const { table } = await parseCsv('a,b\n1,2\n3,4', {});
    expect([...num(table, 'b').values]).toEqual([2, 4]);
  });

  test('a row of empty fields is kept as missing values', async () => {
    const { table, report } = await parseCsv('a,b\n1,2\n,\n', {});
    expect(report.rows).toBe(2);
    expect(num(table, 'a').stats.missing).toBe(1);
  });

  test('ragged rows are padded or cut, counted, with physical line numbers', async () => {
    const csv = 'a,b,c\n1,2,3\n4,5\n"multi\nline",6,7\n8,9,10,11\n12\n';
    const { table, report } = await parseCsv(csv, {});
    expect(report.rows).toBe(5);
    expect(report.raggedRows).toBe(3);
    expect(report.raggedExamples).toEqual([3, 6, 7]);
    expect(cells(table)).toEqual([
      ['1', '2', '3'],
      ['4', '5', ''],
      ['multi\nline', '6', '7'],
      ['8', '9', '10'],
      ['12', '', ''],
    ]);
    expect(report.warnings.some((w) => w.includes('3 rows did not have 3 fields (first on line 3)'))).toBe(true);
  });

  test('ragged examples stop at 5', async () => {
    const csv = 'a,b\n' + Array.from({ length: 20 }, (_, i) => (i % 2 ? `${i},${i}` : `${i}`)).join('\n');
    const { report } = await parseCsv(csv, {});
    expect(report.raggedRows).toBe(10);
    expect(report.raggedExamples).toEqual([2, 4, 6, 8, 10]);
  });

  test('empty and repeated header names are renamed and reported', async () => {
    const { table, report } = await parseCsv('Age,,Age,Age_2, Age ,\n1,2,3,4,5,6\n', {});
    expect(table.columns.map((c) => c.name)).toEqual(['Age', 'column_2', 'Age_3', 'Age_2', 'Age_4', 'column_6']);
    expect(report.renamedColumns).toEqual([
      { from: '', to: 'column_2' },
      { from: 'Age', to: 'Age_3' },
      { from: ' Age ', to: 'Age_4' },
      { from: '', to: 'column_6' },
    ]);
    expect(report.warnings.some((w) => w.startsWith('Renamed 4 columns'))).toBe(true);
  });

  test('uniqueNames avoids names already in the header', () => {
    expect(uniqueNames(['column_2', '', 'x']).names).toEqual(['column_2', 'column_2_2', 'x']);
  });

  test('messy fixture: BOM, CRLF, blank line, quotes, duplicates, short and long rows', async () => {
    const { table, report } = await parseCsv(fixtureBlob('messy.csv'), { fileName: 'messy.csv' });
    expect(report.hadBom).toBe(true);
    expect(table.columns.map((c) => c.name)).toEqual(['Age', 'column_2', 'Age_3', 'Age_2', 'Name']);
    expect(report.rows).toBe(4);
    expect(report.emptyLines).toBe(1);
    expect(report.raggedRows).toBe(2);
    expect(report.raggedExamples).toEqual([6, 7]);
    expect(cells(table)).toEqual([
      ['31', 'a', '1', 'x', 'Smith, J.'],
      ['42', 'b', '2', 'y', 'multi\r\nline'],
      ['7', 'c', '', '', ''],
      ['8', 'd', '3', 'z', 'w'],
    ]);
  });
});

describe('parseCsv: encodings and bad input', () => {
  test('Latin-1 text is read as Windows-1252, with a warning', async () => {
    const { table, report } = await parseCsv(fixtureBlob('latin1.csv'), {});
    expect(report.encoding).toBe('windows-1252');
    expect(cat(table, 'name').categories).toEqual(['José', 'Renée', 'Zoë']);
    expect(cat(table, 'city').categories).toEqual(['Zürich', 'Málaga', 'Besançon']);
    expect(num(table, 'score').stats.missing).toBe(1);
    expect(report.warnings[0]).toMatch(/not UTF-8.*Windows-1252/);
  });

  test('invalid UTF-8 after the first kilobytes becomes U+FFFD, with a warning', async () => {
    const head = new TextEncoder().encode('k,v\n' + 'a,1\n'.repeat(2000));
    const tail = new Uint8Array([0x62, 0x2c, 0x32, 0x0a, 0x63, 0xe9, 0x2c, 0x33, 0x0a]); // b,2 \n c\xe9,3 \n
    const { table, report } = await parseCsv(new Blob([head, tail]), { chunkSize: 1000 });
    expect(report.encoding).toBe('utf-8');
    expect(cat(table, 'k').categories).toEqual(['a', 'b', 'c\uFFFD']);
    expect(report.warnings).toContain("1 character could not be read as UTF-8 and became '\uFFFD'.");
  });

  test('UTF-16 with a byte-order mark', async () => {
    const text = 'x,y\n1,é\n2,ü\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes[2 + 2 * i] = text.charCodeAt(i); // all below U+0100
    const { table, report } = await parseCsv(new Blob([bytes]), {});
    expect(report.encoding).toBe('utf-16le');
    expect(report.hadBom).toBe(true);
    expect(cat(table, 'y').categories).toEqual(['é', 'ü']);
  });

  test('empty file', async () => {
    expect((await rejection(parseCsv('', {}))).message).toBe('The file is empty.');
    expect((await rejection(parseCsv('\n \r\n\n', {}))).message).toBe('The file is empty.');
    expect((await rejection(parseCsv('\uFEFF', {}))).message).toBe('The file is empty.');
  });

  test('header only', async () => {
    const message = 'The file has a header row but no data rows.';
    expect((await rejection(parseCsv('a,b,c', {}))).message).toBe(message);
    expect((await rejection(parseCsv('a,b,c\n', {}))).message).toBe(message);
    expect((await rejection(parseCsv('a,b,c\r\n\r\n\r\n', {}))).message).toBe(message);
  });

  test('binary garbage is rejected', async () => {
    let seed = 5;
    const random = Uint8Array.from({ length: 4096 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
    const message = 'This does not look like a text CSV file.';
    expect((await rejection(parseCsv(new Blob([random]), {}))).message).toBe(message);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect((await rejection(parseCsv(new Blob([png]), {}))).message).toBe(message);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0]);
    expect((await rejection(parseCsv(new Blob([zip]), {}))).message).toMatch(/^This does not look like a text CSV file\. .*Excel/);
  });

  test('a field over the size limit is fatal and names its line', async () => {
    const csv = 'a,b\n1,2\n3,"' + 'x'.repeat(MAX_FIELD_CHARS + 10) + '\n4,5\n';
    const e = await rejection(parseCsv(csv, { chunkSize: 256 * 1024 }));
    expect(e.message).toBe('A field on line 3 is longer than 1 MB; is a quote left open?');
  });

  test('a quote left open early is fatal once the row passes the size limit', async () => {
    const csv = 'a,b\n1,2\n3,"open\n' + '4,5\n'.repeat(MAX_ROW_CHARS / 4 + 10);
    const e = await rejection(parseCsv(csv, {}));
    expect(e.message).toBe('The row starting on line 3 is longer than 8 MB; is a quote left open?');
  });

  test('an unclosed quote near the end is a warning', async () => {
    const { table, report } = await parseCsv('a,b\n1,2\n3,"oops\n4,5\n', {});
    expect(report.rows).toBe(2);
    expect(cat(table, 'b').categories).toEqual(['2', 'oops\n4,5']);
    expect(report.warnings).toContain('The quote opened on line 3 is never closed; the rest of the file was read as one field.');
  });
});

describe('parseCsv: streaming', () => {
  test('chunk size does not change the result, even mid-character and mid-quote', async () => {
    const csv =
      '\uFEFFname,note,amount,flag\r\n' +
      Array.from({ length: 60 }, (_, i) =>
        [
          `"Zoë ${i % 7}"`,
          i % 5 === 0 ? '"a, ""quoted""\nnote ✓"' : `日本${i % 3}`,
          i % 11 === 0 ? 'NA' : (i * 1.25).toFixed(2),
          i % 2 ? 'yes' : 'no',
        ].join(','),
      ).join('\r\n') +
      '\r\n\r\n4th,ragged\r\n';
    const whole = await parseCsv(csv, {});
    expect(whole.report.rows).toBe(61);
    for (const chunkSize of [1, 2, 3, 5, 7, 64, 1000]) {
      const part = await parseCsv(csv, { chunkSize });
      expect(cells(part.table), `chunkSize ${chunkSize}`).toEqual(cells(whole.table));
      expect(part.table.columns.map((c) => c.kind)).toEqual(['categorical', 'categorical', 'numeric', 'boolean']);
      expect(part.report).toEqual(whole.report);
    }
    expect(whole.report.raggedExamples).toEqual([75]);
    expect(whole.report.emptyLines).toBe(1);
  });

  test('stray quotes are read as papaparse reads them and reported once per row, whatever the chunk size', async () => {
    // The quoted field runs on to the first quote that is followed by a delimiter or a line end.
    const csv = 'a,b\n1,2\n"x"y,3\n"4",5\n6,7\n';
    for (const chunkSize of [1, 2, 3, 5, 1000]) {
      const { table, report } = await parseCsv(csv, { chunkSize });
      expect(cells(table), `chunkSize ${chunkSize}`).toEqual([
        ['1', '2'],
        ['x"y,3\n"4', '5'],
        ['6', '7'],
      ]);
      expect(report.warnings, `chunkSize ${chunkSize}`).toEqual(['1 row has a stray quote inside a quoted field (first on line 3).']);
    }
  });

  test('a long quoted field spanning many chunks and slices', async () => {
    const long = 'word, "quoted"\n'.repeat(20_000); // 300K characters, newlines and delimiters inside
    const csv = 'id,text,n\n1,short,1\n2,"' + long.replaceAll('"', '""') + '",2\n3,after,3\n';
    for (const chunkSize of [4096, 1 << 20]) {
      const { table, report } = await parseCsv(csv, { chunkSize });
      expect(report.rows).toBe(3);
      expect(cellText(col(table, 'text'), 1)).toBe(long.trim());
      expect([...num(table, 'n').values]).toEqual([1, 2, 3]);
      expect(report.warnings).toEqual([]);
    }
  });

  test('progress is reported in bytes and ends at the total', async () => {
    const csv = 'a,b\n' + '1,2\n'.repeat(5000);
    const calls: [number, number][] = [];
    await parseCsv(csv, { chunkSize: 1024, onProgress: (loaded, total) => calls.push([loaded, total]) });
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThan(20); // throttled: not one call per chunk
    expect(calls.at(-1)).toEqual([csv.length, csv.length]);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
  });

  test('cancel between chunks rejects with an AbortError', async () => {
    const signal = { aborted: false };
    const csv = 'a,b\n' + '1,2\n'.repeat(5000);
    const e = await rejection(parseCsv(csv, { chunkSize: 1024, signal, onProgress: () => (signal.aborted = true) }));
    expect(e.name).toBe('AbortError');
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(parseCsv(csv, { signal: controller.signal }))).name).toBe('AbortError');
  });
});

/** Independent reading of a simple file (no quoted delimiters): split on ',' and strip quotes. */
function splitCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const split = (l: string) => l.split(',').map((f) => f.replace(/^"|"$/g, ''));
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

describe('parseCsv: real data', () => {
  test('penguins: 344 rows, NA in measurements and sex', async () => {
    const path = `${DATASETS}/penguins.csv`;
    const { header, rows } = splitCsv(path);
    const parsed: ParsedCsv = await parseCsv(new Blob([readFileSync(path)]), { fileName: 'penguins.csv' });
    const { table, report } = parsed;
    expect(report.rows).toBe(344);
    expect(rows.length).toBe(344);
    expect(table.columns.map((c) => c.name)).toEqual(header);
    expect(table.columns.map((c) => c.kind)).toEqual([
      'categorical',
      'categorical',
      'numeric',
      'numeric',
      'numeric',
      'numeric',
      'categorical',
      'numeric',
    ]);
    header.forEach((name, j) => {
      const values = rows.map((r) => r[j]);
      const present = values.filter((v) => v !== 'NA');
      const c = col(table, name);
      expect(c.stats.missing, name).toBe(values.length - present.length);
      expect(c.stats.distinct, name).toBe(new Set(present.map((v) => (c.kind === 'numeric' ? Number(v) : v))).size);
      expect(c.stats.invalid).toBe(0);
    });
    expect(num(table, 'bill_length_mm').stats.missing).toBe(2);
    expect(cat(table, 'sex').stats.missing).toBe(11);
    expect(cat(table, 'species').categories).toEqual(['Adelie', 'Gentoo', 'Chinstrap']);
    const mass = num(table, 'body_mass_g').values;
    const expectedSum = rows.reduce((s, r) => s + (r[5] === 'NA' ? 0 : Number(r[5])), 0);
    expect(mass.reduce((s, v) => s + (Number.isNaN(v) ? 0 : v), 0)).toBe(expectedSum);
    expect(report.warnings).toEqual([]);
  });

  test('german credit: 1000 rows, 62 columns, quoted Class, 0/1 one-hot columns numeric', async () => {
    const path = `${DATASETS}/german_credit.csv`;
    const { header, rows } = splitCsv(path);
    const { table, report } = await parseCsv(new Blob([readFileSync(path)]), {});
    expect(report.rows).toBe(1000);
    expect(table.columns.length).toBe(62);
    expect(table.columns.map((c) => c.name)).toEqual(header);
    header.forEach((name, j) => {
      const values = rows.map((r) => r[j]);
      const allNumbers = values.every((v) => /^-?\d+(\.\d+)?$/.test(v));
      const c = col(table, name);
      expect(c.kind, name).toBe(allNumbers ? 'numeric' : 'categorical');
      expect(c.stats.missing, name).toBe(0);
      expect(c.stats.distinct, name).toBe(new Set(values).size);
      if (c.kind === 'numeric') expect(Array.from(c.values), name).toEqual(values.map(Number));
    });
    expect(cat(table, 'Class').categories).toEqual(['Good', 'Bad']);
    expect(num(table, 'Purpose.NewCar').stats.distinct).toBe(2);
    expect(table.columns.filter((c) => c.kind === 'numeric').length).toBe(61);
  });
});

describe('parseCsv: the bad-input corpus (test/fixtures/bad)', () => {
  const bad = (name: string) => parseCsv(new Blob([readFileSync(`test/fixtures/bad/${name}`)]), { fileName: name });
  const failure = (name: string) => bad(name).then(() => '', (e: Error) => e.message);

  test('empty and header-only files are refused in words', async () => {
    expect(await failure('empty.csv')).toBe('The file is empty.');
    expect(await failure('header-only.csv')).toBe('The file has a header row but no data rows.');
  });

  test('ragged rows: counted with their physical lines, padded and cut', async () => {
    const { table, report } = await bad('ragged.csv');
    expect(report.rows).toBe(40);
    expect(report.raggedExamples).toEqual([7, 14, 22]);
    expect(report.warnings).toEqual(['3 rows did not have 22 fields (first on line 7); missing fields were left empty and extra fields dropped.']);
    // Row 6 (line 7) lost its last three fields: Telephone, ForeignWorker, Class.
    expect(cellText(col(table, 'Class'), 5)).toBe('');
    expect(cellText(col(table, 'Sex'), 5)).not.toBe('');
  });

  test('duplicate and empty names are renamed and both renames are named', async () => {
    const { table, report } = await bad('duplicate-names.csv');
    expect(table.columns.slice(-2).map((c) => c.name)).toEqual(['Age_2', 'column_24']);
    expect(report.renamedColumns).toEqual([{ from: 'Age', to: 'Age_2' }, { from: '', to: 'column_24' }]);
    expect(report.warnings).toEqual(["Renamed 2 columns with an empty or repeated name: 'Age' → 'Age_2', '' → 'column_24'."]);
  });

  test('Latin-1 names are decoded, with a warning', async () => {
    const { table, report } = await bad('latin1.csv');
    expect(cat(table, 'Name').categories).toEqual(['José', 'Zoë', 'François', 'Jürgen', 'Ñandú', 'Søren']);
    expect(report.warnings).toEqual(['The file is not UTF-8; it was read as Windows-1252 (Latin-1).']);
  });

  test('one-class target and injection file read without warnings, strings kept as written', async () => {
    const one = await bad('one-class.csv');
    expect(cat(one.table, 'Class').categories).toEqual(['Good']);
    expect(one.report.warnings).toEqual([]);
    const inj = await bad('injection.csv');
    expect(inj.table.columns.map((c) => c.name)).toEqual(['<img src=x onerror="window.__pwned=1">', '"><b>x</b>', '<script>window.__pwned=1</script>', 'label']);
    expect(cat(inj.table, 'label').categories.sort()).toEqual(['"><b>x</b>', '<script>window.__pwned=1</script>']);
    expect(inj.report.warnings).toEqual([]);
  });
});
