/**
 * Chart export: an SVG element's markup made self-contained (computed colours inlined as attributes
 * by the caller's styles being plain attributes), and the file names used. The DOM work (serialising,
 * rasterising to PNG) lives in the ChartFrame component; this is the pure part.
 */

/** A file name from a chart title: lower-case words joined by dashes, at most 60 characters. */
export function chartFileName(title: string, ext: 'svg' | 'png' | 'csv'): string {
  const base = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `loupe-${base || 'chart'}.${ext}`;
}

/** Adds the XML namespace and explicit size an SVG file needs to open on its own. */
export function standaloneSvg(markup: string, width: number, height: number, background: string): string {
  let svg = markup.replace(/^<svg\b/, `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"`);
  svg = svg.replace(/^(<svg[^>]*>)/, `$1<rect width="100%" height="100%" fill="${background}"/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`;
}

/** Rows of a chart's data as CSV text (RFC 4180 quoting). */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
