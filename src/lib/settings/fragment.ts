/**
 * Settings shared as a URL fragment: `#loupe=<base64url of the settings JSON>`. Settings only, never
 * data: the open view, the sample's id, the quality threshold and outcome values, calibration bins,
 * fairness choices, the latency protocol and an opaque scorecard slot. The fragment never reaches a
 * server (browsers do not send it). Decoding never throws: garbage, a newer version or a wrong type
 * comes back as a result with the reason in words.
 */

/** Format version written by this Loupe; a higher one is refused with a message. */
export const SETTINGS_VERSION = 1;
/** The fragment's key: `#loupe=…`. */
export const FRAGMENT_KEY = 'loupe';
/**
 * Longest fragment written or read (characters). Browsers accept far more, but links pasted into
 * chats and tickets get cut around a few thousand characters, and a longer one is not settings.
 */
export const MAX_FRAGMENT_CHARS = 4000;

export interface QualitySettings {
  threshold?: number;
  /** Value of each outcome per row (the cost matrix). */
  values?: { tp: number; fp: number; tn: number; fn: number };
  calibrationBins?: number;
  calibrationStrategy?: 'uniform' | 'quantile';
}

export interface FairnessSettings {
  /** Sensitive columns chosen. */
  columns?: string[];
  intersections?: boolean;
  minSize?: number;
  reference?: 'largest' | 'best' | number;
  favorable?: 'positive' | 'negative' | null;
  /** Binning of numeric sensitive columns, by column. */
  bins?: Record<string, { mode: 'auto' | 'quantiles' | 'edges'; k: number; edges: string }>;
}

export interface LatencyProtocol {
  warmup?: number;
  runs?: number;
  batch?: number;
  sweepMax?: number;
  sweepRuns?: number;
  budgetMs?: number;
  backends?: string[];
  rows?: 'csv' | 'synthetic';
  seed?: number;
}

export interface LoupeSettings {
  v: number;
  view?: string;
  /** Id of a bundled sample (`static/samples/index.json`). */
  sample?: string;
  quality?: QualitySettings;
  fairness?: FairnessSettings;
  latency?: LatencyProtocol;
  /** The scorecard's own settings, passed through as they are. */
  scorecard?: unknown;
  /** Other named sections (registered providers), passed through as they are. */
  [section: string]: unknown;
}

export type EncodeResult = { ok: true; fragment: string } | { ok: false; error: string };
export type DecodeResult =
  /** `ignored` names the fields dropped for a wrong type or range. */
  | { ok: true; settings: LoupeSettings; ignored: string[] }
  /** `absent`: the location has no Loupe fragment at all (not an error to show). */
  | { ok: false; absent: boolean; error: string };

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** `#loupe=…` for these settings, or why it cannot be written (too long). */
export function encodeSettings(settings: LoupeSettings): EncodeResult {
  const json = JSON.stringify({ ...settings, v: SETTINGS_VERSION });
  const fragment = `#${FRAGMENT_KEY}=${toBase64Url(new TextEncoder().encode(json))}`;
  if (fragment.length > MAX_FRAGMENT_CHARS)
    return { ok: false, error: `These settings make a link of ${fragment.length} characters, over the ${MAX_FRAGMENT_CHARS} a link can safely carry.` };
  return { ok: true, fragment };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Copies the fields of `src` that pass their check; the others are named in `ignored`. */
function pick(src: unknown, name: string, checks: Record<string, (v: unknown) => boolean>, ignored: string[]): Obj | undefined {
  if (src === undefined) return undefined;
  if (!isObj(src)) {
    ignored.push(name);
    return undefined;
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(src)) {
    if (!(k in checks)) ignored.push(`${name}.${k}`);
    else if (checks[k](v)) out[k] = v;
    else ignored.push(`${name}.${k}`);
  }
  return out;
}

const between = (lo: number, hi: number) => (v: unknown) => finite(v) && v >= lo && v <= hi;
const positiveInt = (max: number) => (v: unknown) => finite(v) && Number.isInteger(v) && v >= 1 && v <= max;
const oneOf = (...xs: unknown[]) => (v: unknown) => xs.includes(v);
const strings = (v: unknown) => Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === 'string');

const QUALITY = {
  threshold: between(0, 1),
  values: (v: unknown) => isObj(v) && ['tp', 'fp', 'tn', 'fn'].every((k) => finite(v[k])) && Object.keys(v).length === 4,
  calibrationBins: positiveInt(100),
  calibrationStrategy: oneOf('uniform', 'quantile'),
};
const FAIRNESS = {
  columns: strings,
  intersections: (v: unknown) => typeof v === 'boolean',
  minSize: (v: unknown) => finite(v) && Number.isInteger(v) && v >= 0,
  reference: (v: unknown) => v === 'largest' || v === 'best' || (finite(v) && Number.isInteger(v) && v >= 0),
  favorable: oneOf('positive', 'negative', null),
  bins: (v: unknown) =>
    isObj(v) && Object.values(v).every((b) => isObj(b) && ['auto', 'quantiles', 'edges'].includes(b.mode as string) && finite(b.k) && typeof b.edges === 'string'),
};
const LATENCY = {
  warmup: (v: unknown) => finite(v) && Number.isInteger(v) && v >= 0 && v <= 10_000,
  runs: positiveInt(100_000),
  batch: positiveInt(1 << 20),
  sweepMax: positiveInt(1 << 20),
  sweepRuns: positiveInt(100_000),
  budgetMs: (v: unknown) => finite(v) && v > 0,
  backends: strings,
  rows: oneOf('csv', 'synthetic'),
  seed: (v: unknown) => finite(v) && Number.isInteger(v),
};

/** Checks a decoded settings object: its version, and the type of every known field. */
export function checkSettings(value: unknown): DecodeResult {
  if (!isObj(value)) return { ok: false, absent: false, error: 'The settings in this link are not an object; they were ignored.' };
  const v = value.v;
  if (!finite(v) || !Number.isInteger(v) || v < 1)
    return { ok: false, absent: false, error: 'The settings in this link carry no format version; they were ignored.' };
  if (v > SETTINGS_VERSION)
    return { ok: false, absent: false, error: `This link's settings were written by a newer Loupe (format ${v}); this page reads format ${SETTINGS_VERSION}, so they were ignored.` };
  const ignored: string[] = [];
  const settings: LoupeSettings = { v };
  for (const [k, x] of Object.entries(value)) {
    if (k === 'v') continue;
    if (k === 'view' || k === 'sample') {
      if (typeof x === 'string' && x.length <= 200) settings[k] = x;
      else ignored.push(k);
    } else if (k === 'quality') settings.quality = pick(x, k, QUALITY, ignored) as QualitySettings | undefined;
    else if (k === 'fairness') settings.fairness = pick(x, k, FAIRNESS, ignored) as FairnessSettings | undefined;
    else if (k === 'latency') settings.latency = pick(x, k, LATENCY, ignored) as LatencyProtocol | undefined;
    else settings[k] = x;
  }
  for (const k of Object.keys(settings)) if (settings[k] === undefined) delete settings[k];
  return { ok: true, settings, ignored };
}

/**
 * Reads settings from a location hash (`#loupe=…`, possibly among other `&`-separated parts).
 * Never throws.
 */
export function decodeSettings(hash: string): DecodeResult {
  const text = typeof hash === 'string' ? hash.replace(/^#/, '') : '';
  const part = text.split('&').find((p) => p.startsWith(`${FRAGMENT_KEY}=`));
  if (part === undefined) return { ok: false, absent: true, error: 'The link holds no Loupe settings.' };
  if (part.length + 1 > MAX_FRAGMENT_CHARS)
    return { ok: false, absent: false, error: `The settings in this link are ${part.length} characters long, over the ${MAX_FRAGMENT_CHARS} Loupe reads; they were ignored.` };
  const bytes = fromBase64Url(part.slice(FRAGMENT_KEY.length + 1));
  if (!bytes) return { ok: false, absent: false, error: 'The settings in this link are damaged (not base64url text); they were ignored.' };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, absent: false, error: 'The settings in this link are damaged (not JSON); they were ignored. The link may have been cut short.' };
  }
  return checkSettings(value);
}
