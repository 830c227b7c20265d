import { describe, expect, test } from 'vitest';
import { checkSettings, decodeSettings, encodeSettings, MAX_FRAGMENT_CHARS, SETTINGS_VERSION, type LoupeSettings } from '../../../src/lib/settings/fragment';

const full: LoupeSettings = {
  v: SETTINGS_VERSION,
  view: 'fairness',
  sample: 'credit-gbt',
  quality: { threshold: 0.37, values: { tp: 2, fp: -1, tn: 0, fn: -5 }, calibrationBins: 15, calibrationStrategy: 'quantile' },
  fairness: { columns: ['Sex', 'Âge «élevé»'], intersections: true, minSize: 25, reference: 2, favorable: 'negative', bins: { Age: { mode: 'edges', k: 4, edges: '25, 40' } } },
  latency: { warmup: 5, runs: 100, batch: 8, sweepMax: 256, sweepRuns: 20, budgetMs: 12.5, backends: ['wasm-1'], rows: 'synthetic', seed: 3 },
  scorecard: { stakeholders: [{ id: 'pm', weight: 2, constraint: { enabled: true, limit: 20 } }] },
};

/** base64url of a UTF-8 string, written independently of the module (Node's Buffer). */
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

describe('settings fragment', () => {
  test('round trip keeps every field, unicode included', () => {
    const enc = encodeSettings(full);
    expect(enc.ok).toBe(true);
    if (!enc.ok) return;
    expect(enc.fragment).toMatch(/^#loupe=[A-Za-z0-9_-]+$/);
    const dec = decodeSettings(enc.fragment);
    expect(dec).toEqual({ ok: true, settings: full, ignored: [] });
  });

  test('the fragment is base64url of the JSON (readable by any tool)', () => {
    const enc = encodeSettings({ v: 1, view: 'quality' });
    expect(enc.ok && enc.fragment).toBe(`#loupe=${b64url('{"v":1,"view":"quality"}')}`);
    expect(decodeSettings(`#loupe=${b64url('{"v":1,"quality":{"threshold":0.2}}')}`)).toEqual({ ok: true, settings: { v: 1, quality: { threshold: 0.2 } }, ignored: [] });
  });

  test('found among other fragment parts, with or without the #', () => {
    const enc = encodeSettings({ v: 1, view: 'latency' });
    if (!enc.ok) throw new Error(enc.error);
    const r = decodeSettings(`section-2&${enc.fragment.slice(1)}&x=1`);
    expect(r.ok && r.settings.view).toBe('latency');
  });

  test('absent is not an error', () => {
    for (const h of ['', '#', '#quality', '#other=abc']) {
      const r = decodeSettings(h);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.absent).toBe(true);
    }
  });

  test('garbage gives a reason, never a throw', () => {
    const cases = [
      '#loupe=',
      '#loupe=!!!',
      '#loupe=abc%20def',
      `#loupe=${b64url('{"v":1,')}`, // cut short
      `#loupe=${b64url('[1,2]')}`,
      `#loupe=${b64url('null')}`,
      `#loupe=${b64url('"text"')}`,
      `#loupe=${b64url('{"view":"quality"}')}`, // no version
      `#loupe=${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}`, // not UTF-8
      '#loupe=a',
    ];
    for (const h of cases) {
      const r = decodeSettings(h);
      expect(r.ok, h).toBe(false);
      expect(!r.ok && !r.absent && r.error.length > 10, h).toBe(true);
    }
    expect(decodeSettings(undefined as unknown as string).ok).toBe(false);
  });

  test('a newer version is refused in words', () => {
    const r = decodeSettings(`#loupe=${b64url(JSON.stringify({ v: SETTINGS_VERSION + 1, view: 'quality' }))}`);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/newer Loupe \(format 2\)/);
  });

  test('fields of a wrong type or range are dropped and named; unknown sections pass through', () => {
    const r = checkSettings({
      v: 1,
      view: 42,
      quality: { threshold: 1.5, calibrationBins: 10, values: { tp: 1, fp: 'x', tn: 0, fn: 0 }, extra: true },
      fairness: { columns: 'Sex', minSize: 10, reference: 'worst' },
      latency: 'fast',
      myPanel: { a: 1 },
    });
    expect(r).toEqual({
      ok: true,
      settings: { v: 1, quality: { calibrationBins: 10 }, fairness: { minSize: 10 }, myPanel: { a: 1 } },
      ignored: ['view', 'quality.threshold', 'quality.values', 'quality.extra', 'fairness.columns', 'fairness.reference', 'latency'],
    });
  });

  test('size: too long to write, too long to read', () => {
    const big = encodeSettings({ v: 1, scorecard: { note: 'x'.repeat(MAX_FRAGMENT_CHARS) } });
    expect(big.ok).toBe(false);
    expect(!big.ok && big.error).toMatch(/over the 4000/);
    const r = decodeSettings(`#loupe=${'A'.repeat(MAX_FRAGMENT_CHARS)}`);
    expect(!r.ok && !r.absent && r.error).toMatch(/over the 4000/);
    // Typical settings stay short.
    const enc = encodeSettings(full);
    expect(enc.ok && enc.fragment.length).toBeLessThan(1000);
  });
});
