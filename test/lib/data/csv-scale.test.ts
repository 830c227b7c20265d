/**
 * 1,000,000 rows x 20 columns through parseCsv: checks the result at scale and logs time and memory.
 * Not a timed assertion. Off by default (about 15 s with the data generation); run with
 *   LOUPE_SCALE=1 npx vitest run test/lib/data/csv-scale.test.ts
 */
import { expect, test } from 'vitest';
import { parseCsv } from '../../../src/lib/data/csv';
import type { CategoricalColumn, NumericColumn } from '../../../src/lib/data/table';

const ROWS = 1_000_000;

function generate(): { blob: Blob; sum0: number; na19: number } {
  let seed = 42;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  const colors = ['red', 'green', 'blue', 'yellow', 'purple'];
  const cities = Array.from({ length: 200 }, (_, i) => `City number ${i}`);
  const parts: string[] = [Array.from({ length: 20 }, (_, j) => `c${j}`).join(',') + '\n'];
  let sum0 = 0;
  let na19 = 0;
  let lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const row: string[] = [];
    for (let j = 0; j < 15; j++) row.push((rnd() * 1000 - 500).toFixed(2));
    sum0 += Number(row[0]);
    row.push(String(Math.floor(rnd() * 100)), rnd() < 0.5 ? '0' : '1');
    row.push(colors[Math.floor(rnd() * 5)], cities[Math.floor(rnd() * 200)]);
    const na = rnd() < 0.01;
    if (na) na19++;
    row.push(na ? 'NA' : rnd() < 0.5 ? 'yes' : 'no');
    lines.push(row.join(','));
    if (lines.length === 10_000) {
      parts.push(lines.join('\n') + '\n');
      lines = [];
    }
  }
  return { blob: new Blob(parts), sum0, na19 };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

test.skipIf(!process.env.LOUPE_SCALE)('1M x 20 CSV: correct at scale; time and memory logged', async () => {
  const { blob, sum0, na19 } = generate();
  const before = process.memoryUsage();
  let peak = before.heapUsed + before.arrayBuffers;
  const t0 = performance.now();
  const { table, report } = await parseCsv(blob, {
    onProgress: () => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const tableBytes = table.columns.reduce((s, c) => s + (c.kind === 'numeric' ? c.values.byteLength : c.codes.byteLength), 0);
  console.log(
    `parsed ${mib(blob.size)} (${report.rows} x ${table.columns.length}) in ${seconds.toFixed(2)} s; ` +
      `table ${mib(tableBytes)}; JS heap + buffers ${mib(before.heapUsed + before.arrayBuffers)} before, ${mib(peak)} peak`,
  );

  expect(report.rows).toBe(ROWS);
  expect(table.columns.map((c) => c.kind)).toEqual([
    ...Array<string>(17).fill('numeric'),
    'categorical',
    'categorical',
    'boolean',
  ]);
  const c0 = table.columns[0] as NumericColumn;
  expect(c0.values.reduce((s, v) => s + v, 0)).toBeCloseTo(sum0, 3);
  expect(c0.stats.distinct).toBeGreaterThan(90_000); // 100,001 possible values, 1M draws
  expect((table.columns[16] as NumericColumn).stats.distinct).toBe(2);
  expect((table.columns[18] as CategoricalColumn).categories.length).toBe(200);
  expect(table.columns[19].stats.missing).toBe(na19);
});
