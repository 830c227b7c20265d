import { describe, expect, test } from 'vitest';
import { chartFileName, standaloneSvg, toCsv } from '../../../src/lib/charts/export';

describe('chart export', () => {
  test('file names from titles', () => {
    expect(chartFileName('Latency histogram: wasm (2 threads)', 'png')).toBe('loupe-latency-histogram-wasm-2-threads.png');
    expect(chartFileName('!!!', 'svg')).toBe('loupe-chart.svg');
  });
  test('standalone SVG gets a namespace, a size and a background', () => {
    const s = standaloneSvg('<svg viewBox="0 0 10 10"><circle r="1"/></svg>', 10, 10, '#fff');
    expect(s).toMatch(/^<\?xml/);
    expect(s).toContain('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><rect width="100%" height="100%" fill="#fff"/><circle');
  });
  test('CSV quoting and empty cells for missing numbers', () => {
    expect(toCsv(['a', 'b'], [['x,y', 1.5], ['say "hi"', NaN], [null, 2]])).toBe('a,b\n"x,y",1.5\n"say ""hi""",\n,2\n');
  });
});
