/**
 * Reads a Blob as text in byte chunks: sniffs binary content and the encoding from the first bytes,
 * then decodes chunk by chunk (a character split across two chunks is decoded whole).
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes looked at to tell text from binary. */
export const SNIFF_BYTES = 1024;

export interface Sniffed {
  encoding: TextEncodingName;
  /** Length of the byte-order mark at the start, 0 if none. */
  bomLength: number;
  /** Set when the bytes are not text: a short reason for the user. */
  notText?: string;
}

const NOT_TEXT = 'This does not look like a text CSV file.';

/**
 * Encoding and binary check from the first bytes of a file (give at least `SNIFF_BYTES`, more is
 * better for the UTF-8 check). Text is UTF-8 when valid, else Windows-1252 (the usual legacy
 * encoding of CSV exports); UTF-16 only with a byte-order mark.
 */
export function sniffText(head: Uint8Array, atEnd: boolean): Sniffed {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };

  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return { encoding: 'utf-8', bomLength: 0, notText: `${NOT_TEXT} It looks like an Excel or ZIP file; save it as CSV first.` };
  }
  const n = Math.min(head.length, SNIFF_BYTES);
  let control = 0;
  let high = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return { encoding: 'utf-8', bomLength: 0, notText: NOT_TEXT };
    // Tab, LF, FF, CR and a trailing DOS end-of-file mark (0x1a) occur in text files.
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 0x1a) control++;
    else if (b >= 0x80) high++;
  }
  if (control > n * 0.01) return { encoding: 'utf-8', bomLength: 0, notText: NOT_TEXT };
  if (isUtf8(head, atEnd)) return { encoding: 'utf-8', bomLength: 0 };
  // Legacy 8-bit text has a few accented letters; random bytes are half above 0x7f.
  if (high > n * 0.3) return { encoding: 'utf-8', bomLength: 0, notText: NOT_TEXT };
  return { encoding: 'windows-1252', bomLength: 0 };
}

function isUtf8(bytes: Uint8Array, atEnd: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !atEnd });
    return true;
  } catch {
    return false;
  }
}

/** A Blob decoded chunk by chunk. */
export class TextStream {
  readonly encoding: TextEncodingName;
  readonly hadBom: boolean;
  /** Bytes read so far. */
  loaded = 0;
  /** Characters that were not valid in `encoding` and were replaced by U+FFFD. */
  replaced = 0;
  private readonly blob: Blob;
  private readonly chunkSize: number;
  private readonly decoder: TextDecoder;
  private first: Uint8Array | null;
  private done = false;

  private constructor(blob: Blob, chunkSize: number, first: Uint8Array, sniffed: Sniffed) {
    this.blob = blob;
    this.chunkSize = chunkSize;
    this.encoding = sniffed.encoding;
    this.hadBom = sniffed.bomLength > 0;
    this.decoder = new TextDecoder(sniffed.encoding, { ignoreBOM: true });
    this.first = first.subarray(sniffed.bomLength);
    this.loaded = first.length;
  }

  /**
   * Opens a Blob: reads its first chunk and checks it is text.
   * @throws Error with a user-facing message when the bytes are not text.
   */
  static async open(blob: Blob, chunkSize: number): Promise<TextStream> {
    const size = Math.max(chunkSize, SNIFF_BYTES);
    const first = new Uint8Array(await blob.slice(0, size).arrayBuffer());
    const sniffed = sniffText(first, first.length >= blob.size);
    if (sniffed.notText) throw new Error(sniffed.notText);
    return new TextStream(blob, chunkSize, first, sniffed);
  }

  get total(): number {
    return this.blob.size;
  }

  /** The next piece of text, or null after the end. */
  async next(): Promise<string | null> {
    if (this.done) return null;
    let bytes: Uint8Array;
    if (this.first) {
      bytes = this.first;
      this.first = null;
    } else {
      const end = Math.min(this.loaded + this.chunkSize, this.blob.size);
      bytes = new Uint8Array(await this.blob.slice(this.loaded, end).arrayBuffer());
      this.loaded = end;
    }
    const last = this.loaded >= this.blob.size;
    const text = this.decoder.decode(bytes, { stream: !last });
    if (last) this.done = true;
    if (this.encoding !== 'windows-1252') this.replaced += countReplacements(text);
    return text;
  }
}

function countReplacements(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) count++;
  return count;
}
