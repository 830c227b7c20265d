/**
 * The drifted "current" German credit sample (credit-current.csv): 1000 applications resampled from
 * credit.csv over twelve months of 2025, each month drawn further from the reference, as a lender's
 * intake might move. Rows are real credit.csv rows (labels included), so what changes is the mix:
 *
 * - older applicants and larger loan amounts are over-represented: row weight
 *   exp(t · (AGE_TILT · z(Age) + AMOUNT_TILT · z(ln Amount))), z standardised over credit.csv;
 * - the Purpose mix moves (PURPOSE_FACTORS, also raised to t): more used cars and business, fewer new
 *   cars and televisions;
 * - from September, `Duration` is left empty in MISSING_SHARE of the rows (a broken feed);
 * - from July, `Purpose` is 'vacation' in VACATION_SHARE of the rows: a category the models never saw
 *   (UCI lists it, the training data never has it);
 * - a new first column `ApplicationDate` (YYYY-MM-DD), rows in date order, for drift over time.
 *
 * t = (month + 1) / 12 grows from 1/12 in January to 1 in December.
 */
import type { Csv } from './csv';
import { Rng } from './prng';

export const DRIFT_SEED = 3001;
const ROWS = 1000;
const MONTHS = 12;
const YEAR = 2025;
const AGE_TILT = 1.0;
const AMOUNT_TILT = 0.9;
const PURPOSE_FACTORS: Record<string, number> = {
  'new car': 0.35,
  'used car': 2.5,
  business: 2,
  education: 1.5,
  'radio or television': 0.6,
};
/** First month (0-based) with missing Durations, and the share of rows affected. */
const MISSING_FROM = 8;
const MISSING_SHARE = 0.25;
/** First month (0-based) with 'vacation' loans, and their share. */
const VACATION_FROM = 6;
const VACATION_SHARE = 0.05;

function standardized(values: number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return values.map((v) => (v - mean) / sd);
}

/** Index drawn with probability proportional to the increments of `cumulative`. */
function draw(cumulative: Float64Array, rng: Rng): number {
  const target = rng.next() * cumulative[cumulative.length - 1];
  let lo = 0, hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The drifted current sample of the decoded credit table (see the file comment). */
export function driftCredit(credit: Csv, rng = new Rng(DRIFT_SEED)): Csv {
  const at = (name: string) => {
    const i = credit.header.indexOf(name);
    if (i < 0) throw new Error(`credit.csv has no column '${name}'`);
    return i;
  };
  const age = at('Age'), amount = at('Amount'), purpose = at('Purpose'), duration = at('Duration');
  const tilt = ((zAge: number[], zAmount: number[]) => zAge.map((z, i) => AGE_TILT * z + AMOUNT_TILT * zAmount[i]))(
    standardized(credit.rows.map((r) => Number(r[age]))),
    standardized(credit.rows.map((r) => Math.log(Number(r[amount])))),
  );
  const logFactor = credit.rows.map((r) => Math.log(PURPOSE_FACTORS[r[purpose]] ?? 1));

  const rows: { date: string; cells: string[] }[] = [];
  for (let m = 0; m < MONTHS; m++) {
    const t = (m + 1) / MONTHS;
    const cumulative = new Float64Array(credit.rows.length);
    let total = 0;
    for (let i = 0; i < credit.rows.length; i++) {
      total += Math.exp(t * (tilt[i] + logFactor[i]));
      cumulative[i] = total;
    }
    const count = Math.floor(((m + 1) * ROWS) / MONTHS) - Math.floor((m * ROWS) / MONTHS);
    const month: { day: number; cells: string[] }[] = [];
    for (let k = 0; k < count; k++) {
      const cells = [...credit.rows[draw(cumulative, rng)]];
      if (m >= MISSING_FROM && rng.next() < MISSING_SHARE) cells[duration] = '';
      if (m >= VACATION_FROM && rng.next() < VACATION_SHARE) cells[purpose] = 'vacation';
      month.push({ day: 1 + rng.int(28), cells });
    }
    month.sort((a, b) => a.day - b.day);
    const mm = String(m + 1).padStart(2, '0');
    for (const r of month) rows.push({ date: `${YEAR}-${mm}-${String(r.day).padStart(2, '0')}`, cells: r.cells });
  }
  return { header: ['ApplicationDate', ...credit.header], rows: rows.map((r) => [r.date, ...r.cells]) };
}
