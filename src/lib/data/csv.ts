/**
 * Streaming CSV reader: Blob or string in, columnar `Table` plus a `ParseReport` out. Text is read and
 * decoded chunk by chunk, each chunk parsed by papaparse's low-level parser, and every cell handed to a
 * per-column `ColumnBuilder`; no row objects or file text are kept past their chunk.
 */
import Papa from 'papaparse';
import { ColumnBuilder } from './infer';
import type { Column, ParseReport, Table } from './table';
import { TextStream } from './text-stream';

export interface ParseCsvOptions {
  /** Shown in the report; defaults to the File's name, else ''. */
  fileName?: string;
  /** Bytes read from the Blob at a time (then parsed in slices of 64K characters). Default 1 MiB. */
  chunkSize?: number;
  /** Called at most every 100 ms, and once at the end with loadedBytes === totalBytes. */
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  /** Checked between chunks; when set, parsing stops with an Error named 'AbortError'. */
  signal?: { readonly aborted: boolean };
}

export interface ParsedCsv {
  table: Table;
  report: ParseReport;
}

/** Bytes read from the Blob at a time: 1 MiB. */
export const DEFAULT_CHUNK_SIZE = 1 << 20;
/**
 * Characters handed to the parser at a time. Small enough that the strings it cuts are still in cache
 * when the column builders read them (64K was ~25% faster than 1M on 1M x 20).
 */
const PARSE_SLICE = 1 << 16;
/** Longest single field accepted: 1M characters. */
export const MAX_FIELD_CHARS = 1 << 20;
/** Longest row accepted while still incomplete (an unclosed quote grows it to the end of file): 8M characters. */
export const MAX_ROW_CHARS = 1 << 23;
/** Delimiters `detectDelimiter` chooses from, in order of preference on ties. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

const RAGGED_EXAMPLES = 5;
const PROGRESS_INTERVAL_MS = 100;
/** Lines (or characters) gathered before the delimiter is guessed. */
const SAMPLE_LINES = 10;
const SAMPLE_CHARS = 1 << 16;

type Newline = '\n' | '\r';

/** A raw row as papaparse returns it. */
type Row = string[];

interface PapaError {
  code: string;
  row?: number;
}

function abortError(): Error {
  const e = new Error('Reading the CSV file was cancelled.');
  e.name = 'AbortError';
  return e;
}

/**
 * '\n' unless the text has only bare '\r' line ends. CRLF files are read with '\n'; the '\r' left at
 * the end of each last field is whitespace, which every cell reader trims.
 */
export function detectNewline(sample: string): Newline {
  return sample.indexOf('\n') < 0 && sample.indexOf('\r') >= 0 ? '\r' : '\n';
}

/**
 * The delimiter among `DELIMITERS` that splits the sample's rows most consistently into the header's
 * field count (quotes respected); ties go to more fields, then to the order of `DELIMITERS`.
 * ',' when no candidate gives at least two fields (a one-column file).
 * @param complete whether the sample is the whole file (else its last, partial line is ignored).
 */
export function detectDelimiter(sample: string, newline: Newline = detectNewline(sample), complete = false): string {
  let best: string = DELIMITERS[0];
  let bestScore = -1;
  let bestWidth = 0;
  for (const delimiter of DELIMITERS) {
    const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
    let rows: Row[] = parser.parse(sample, 0, !complete).data;
    if (rows.length === 0 && !complete) rows = new Papa.Parser({ delimiter, newline }).parse(sample, 0, false).data;
    rows = rows.filter((r) => !isBlankRow(r));
    if (rows.length === 0) continue;
    const width = rows[0].length;
    if (width < 2) continue;
    const score = rows.filter((r) => r.length === width).length / rows.length;
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && width > bestWidth)) {
      best = delimiter;
      bestScore = score;
      bestWidth = width;
    }
  }
  return best;
}

/** A final line end would read as one more, empty row; a CR left before it would spoil a closing quote. */
function withoutFinalLineEnd(text: string, newline: Newline): string {
  if (!text.endsWith(newline)) return text;
  const end = text.length - 1;
  return newline === '\n' && text.charCodeAt(end - 1) === 13 ? text.slice(0, end - 1) : text.slice(0, end);
}

function isBlankRow(row: Row): boolean {
  return row.length === 1 && (row[0].length === 0 || row[0].trim().length === 0);
}

/**
 * Header names trimmed, with empty ones named `column_<position>` and repeats suffixed `_2`, `_3`, ...
 * (never colliding with another name in the header).
 */
export function uniqueNames(raw: readonly string[]): { names: string[]; renamed: { from: string; to: string }[] } {
  const trimmed = raw.map((s) => s.trim());
  const taken = new Set(trimmed.filter((s) => s.length > 0));
  const seen = new Set<string>();
  const renamed: { from: string; to: string }[] = [];
  const names = trimmed.map((name, j) => {
    if (name.length > 0 && !seen.has(name)) {
      seen.add(name);
      return name;
    }
    const base = name.length > 0 ? name : `column_${j + 1}`;
    let to = base;
    for (let k = name.length > 0 ? 2 : 1; taken.has(to); k++) to = k === 1 ? base : `${base}_${k}`;
    taken.add(to);
    seen.add(to);
    renamed.push({ from: raw[j], to });
    return to;
  });
  return { names, renamed };
}

function countOf(text: string, needle: string, end = text.length): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < end; i = text.indexOf(needle, i + 1)) count++;
  return count;
}

/** Collects rows into column builders and keeps the counts the report needs. */
class RowSink {
  builders: ColumnBuilder[] | null = null;
  width = 0;
  rows = 0;
  emptyLines = 0;
  raggedRows = 0;
  readonly raggedExamples: number[] = [];
  renamed: { from: string; to: string }[] = [];
  badQuoteRows = 0;
  firstBadQuoteLine = 0;
  unclosedQuoteLine = 0;

  constructor(
    private readonly decimalComma: boolean,
    private readonly totalBytes: number,
  ) {}

  /**
   * @param lineBase physical lines before this batch
   * @param consumed characters of the input these rows span (for the size estimate)
   */
  add(rows: Row[], errors: PapaError[], newline: Newline, lineBase: number, consumed: number): void {
    const lineOf = (r: number): number => {
      let embedded = 0;
      for (let k = 0; k < r; k++) for (const f of rows[k]) embedded += countOf(f, newline);
      return lineBase + 1 + r + embedded;
    };

    let lastBadRow = -1;
    for (const e of errors) {
      if (e.row === undefined || e.row >= rows.length) continue; // belongs to the unfinished row
      if (e.code === 'MissingQuotes') this.unclosedQuoteLine ||= lineOf(e.row);
      else if (e.code === 'InvalidQuotes' && e.row !== lastBadRow) {
        lastBadRow = e.row;
        this.badQuoteRows++;
        this.firstBadQuoteLine ||= lineOf(e.row);
      }
    }

    let r = 0;
    if (this.builders === null) {
      while (r < rows.length && isBlankRow(rows[r])) {
        this.emptyLines++;
        r++;
      }
      if (r === rows.length) return;
      this.checkFields(rows[r], () => lineOf(r));
      const { names, renamed } = uniqueNames(rows[r]);
      this.renamed = renamed;
      this.width = names.length;
      const dataRows = rows.length - r - 1;
      const capacity = dataRows > 0 ? Math.ceil((dataRows * this.totalBytes * 1.05) / Math.max(consumed, 1)) + 16 : 1024;
      const cap = Math.min(capacity, Math.ceil(this.totalBytes / 2) + 16);
      this.builders = names.map((name) => new ColumnBuilder(name, { decimalComma: this.decimalComma, capacity: cap }));
      r++;
    }

    const builders = this.builders;
    const width = this.width;
    for (; r < rows.length; r++) {
      const row = rows[r];
      const len = row.length;
      if (len === 1 && (row[0].length === 0 || row[0].trim().length === 0)) {
        this.emptyLines++;
        continue;
      }
      if (len !== width) {
        this.raggedRows++;
        if (this.raggedExamples.length < RAGGED_EXAMPLES) this.raggedExamples.push(lineOf(r));
      }
      const m = len < width ? len : width;
      for (let j = 0; j < m; j++) {
        const f = row[j];
        if (f.length > MAX_FIELD_CHARS) this.checkFields(row, () => lineOf(r));
        builders[j].push(f);
      }
      for (let j = m; j < width; j++) builders[j].pushMissing();
      this.rows++;
    }
  }

  private checkFields(row: Row, line: () => number): void {
    if (row.some((f) => f.length > MAX_FIELD_CHARS)) {
      throw new Error(`A field on line ${line()} is longer than ${MAX_FIELD_CHARS >> 20} MB; is a quote left open?`);
    }
  }
}

/**
 * Reads a CSV file into a columnar table. Streaming: memory is the table's typed arrays plus one chunk.
 *
 * Handles a UTF-8 byte-order mark (or UTF-16 with one; non-UTF-8 text is read as Windows-1252),
 * ',', ';', tab and '|' delimiters, quoted fields with delimiters, newlines and doubled quotes, CRLF,
 * blank lines (skipped, counted), rows with too few or too many fields (padded or cut, counted) and
 * empty or repeated header names (renamed).
 *
 * @throws Error with a short user-facing message for an empty file, a header without data rows, a file
 * that is not text, or a field longer than `MAX_FIELD_CHARS`; an Error named 'AbortError' on cancel.
 */
export async function parseCsv(source: Blob | string, options: ParseCsvOptions = {}): Promise<ParsedCsv> {
  const { signal, onProgress } = options;
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK_SIZE));
  const blob = typeof source === 'string' ? new Blob([source]) : source;
  const fileName = options.fileName ?? ('name' in blob && typeof blob.name === 'string' ? blob.name : '');
  if (blob.size === 0) throw new Error('The file is empty.');
  if (signal?.aborted) throw abortError();

  const stream = await TextStream.open(blob, chunkSize);
  const total = stream.total;
  let sink: RowSink | null = null;
  let parser: Papa.Parser | null = null;
  let newline: Newline = '\n';
  let delimiter = ',';
  let pending = '';
  let lineBase = 0;
  let stalled = 0;
  let lastProgress = -Infinity;

  const feed = (text: string, final: boolean): void => {
    pending += text;
    if (parser === null) {
      if (!final && pending.length < SAMPLE_CHARS && countOf(pending, '\n') < SAMPLE_LINES && countOf(pending, '\r') < SAMPLE_LINES) return;
      newline = detectNewline(pending);
      delimiter = detectDelimiter(pending, newline, final);
      parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
      sink = new RowSink(delimiter === ';', total);
    }
    // A row that spans many slices (a long quoted field) is re-parsed only each time it doubles.
    if (!final && pending.length < 2 * stalled && pending.length <= MAX_ROW_CHARS) return;
    const input = final ? withoutFinalLineEnd(pending, newline) : pending;
    const result = parser.parse(input, 0, !final) as { data: Row[]; errors: PapaError[]; meta: { cursor: number } };
    const consumed = final ? input.length : result.meta.cursor;
    sink!.add(result.data, result.errors, newline, lineBase, consumed);
    if (final) return;
    stalled = consumed === 0 ? input.length : 0;
    lineBase += countOf(input, newline, consumed);
    pending = input.slice(consumed);
    if (pending.length > MAX_ROW_CHARS) {
      throw new Error(`The row starting on line ${lineBase + 1} is longer than ${MAX_ROW_CHARS >> 20} MB; is a quote left open?`);
    }
  };

  for (;;) {
    if (signal?.aborted) throw abortError();
    const piece = await stream.next();
    if (piece === null) {
      feed('', true);
      break;
    }
    for (let at = 0; at < piece.length; at += PARSE_SLICE) feed(piece.slice(at, at + PARSE_SLICE), false);
    const now = Date.now();
    if (onProgress && now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      onProgress(stream.loaded, total);
    }
  }

  const s = sink!;
  if (s.builders === null) throw new Error('The file is empty.');
  if (s.rows === 0) throw new Error('The file has a header row but no data rows.');
  onProgress?.(total, total);

  const columns: Column[] = s.builders.map((b) => b.finish());
  const report: ParseReport = {
    fileName,
    bytes: total,
    delimiter,
    hadBom: stream.hadBom,
    encoding: stream.encoding,
    rows: s.rows,
    raggedRows: s.raggedRows,
    raggedExamples: s.raggedExamples,
    emptyLines: s.emptyLines,
    renamedColumns: s.renamed,
    warnings: [...delimiterWarning(delimiter, fileName), ...warningsFor(s, stream, columns)],
  };
  return { table: { nRows: s.rows, columns }, report };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

const DELIMITER_NAMES: Record<string, string> = { ';': "semicolons (';')", '\t': 'tabs', '|': "pipes ('|')" };
const DELIMITER_EXT: Record<string, RegExp> = { '\t': /\.(tsv|tab)$/i, '|': /\.psv$/i };

/**
 * Says so when the columns were split on something other than a comma, unless the file's extension
 * already says it (.tsv, .psv): a "CSV" that is not comma-separated is a common export mistake.
 */
export function delimiterWarning(delimiter: string, fileName: string): string[] {
  if (delimiter === ',' || DELIMITER_EXT[delimiter]?.test(fileName)) return [];
  const name = DELIMITER_NAMES[delimiter] ?? `'${delimiter}'`;
  const decimals = delimiter === ';' ? "; decimal commas such as '1,5' were read as 1.5" : '';
  return [`Columns are separated by ${name}, not commas; Loupe detected this and read the file that way${decimals}.`];
}

function warningsFor(s: RowSink, stream: TextStream, columns: Column[]): string[] {
  const w: string[] = [];
  if (stream.encoding === 'windows-1252') w.push('The file is not UTF-8; it was read as Windows-1252 (Latin-1).');
  if (stream.replaced > 0) {
    w.push(`${plural(stream.replaced, 'character')} could not be read as ${stream.encoding.toUpperCase()} and became '\uFFFD'.`);
  }
  if (s.unclosedQuoteLine > 0) {
    w.push(`The quote opened on line ${s.unclosedQuoteLine} is never closed; the rest of the file was read as one field.`);
  }
  if (s.badQuoteRows > 0) {
    const have = s.badQuoteRows === 1 ? 'has' : 'have';
    w.push(`${plural(s.badQuoteRows, 'row')} ${have} a stray quote inside a quoted field (first on line ${s.firstBadQuoteLine}).`);
  }
  if (s.raggedRows > 0) {
    w.push(
      `${plural(s.raggedRows, 'row')} did not have ${s.width} fields (first on line ${s.raggedExamples[0]}); ` +
        'missing fields were left empty and extra fields dropped.',
    );
  }
  if (s.renamed.length > 0) {
    const list = s.renamed.map((r) => `'${r.from}' → '${r.to}'`).join(', ');
    w.push(`Renamed ${plural(s.renamed.length, 'column')} with an empty or repeated name: ${list}.`);
  }
  for (const c of columns) {
    const nonMissing = s.rows - c.stats.missing;
    if (nonMissing === 0) w.push(`Column '${c.name}' is empty.`);
    else if (c.stats.invalid > 0) {
      const eg = c.stats.invalidExamples.map((t) => `'${t}'`).join(', ');
      const are = c.stats.invalid === 1 ? 'is not a number' : 'are not numbers';
      w.push(`Column '${c.name}': ${plural(c.stats.invalid, 'value')} ${are} (e.g. ${eg}); read as missing.`);
    }
  }
  return w;
}
