/**
 * Tells a dropped file's kind from its name and first bytes, before reading it whole, and states the
 * size limits. ONNX is a protobuf whose first field is `ir_version` (tag 0x08); a CSV is text.
 */

/** Largest model read into the browser: 512 MiB (wasm memory also holds the session). */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;
/**
 * Largest CSV streamed: 512 MiB. The table is held twice (worker and page): a 130 MiB CSV of
 * 1M x 20 numbers becomes 140 MiB of typed arrays on each side.
 */
export const MAX_CSV_BYTES = 512 * 1024 * 1024;

export type FileKind = { kind: 'model' } | { kind: 'csv' } | { kind: 'unknown'; reason: string };

const TEXT_EXT = /\.(csv|tsv|txt|tab|dat|psv)$/i;

/** `head` is the first bytes of the file (64 are enough). */
export function classifyFile(name: string, size: number, head: Uint8Array): FileKind {
  if (/\.onnx$/i.test(name) || /\.ort$/i.test(name)) return { kind: 'model' };
  if (TEXT_EXT.test(name)) return { kind: 'csv' };
  if (size === 0) return { kind: 'unknown', reason: `${name} is empty, so it is neither an ONNX model nor a CSV file.` };
  if (head[0] === 0x08 && head.length > 2 && head[1] > 0 && head[1] < 32) return { kind: 'model' };
  if (looksLikeText(head)) return { kind: 'csv' };
  return {
    kind: 'unknown',
    reason: `${name} is neither an ONNX model (.onnx) nor a CSV file; Loupe reads those two kinds of file.`,
  };
}

function looksLikeText(head: Uint8Array): boolean {
  let control = 0;
  for (const b of head) if (b === 0 || (b < 9) || (b > 13 && b < 32)) control++;
  return head.length > 0 && control === 0;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024, u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}
