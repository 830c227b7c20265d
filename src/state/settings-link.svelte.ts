/**
 * The settings link: gathers the page's settings (never data) from the session's states into a
 * `#loupe=…` fragment, and applies one (loading the named sample first when it is not loaded).
 * Each state section is a provider (`get` / `apply`); the quality, fairness and latency states are
 * registered here, and a later view registers its own (`settingsLink(session).register('scorecard', …)`).
 */
import { decodeSettings, encodeSettings, SETTINGS_VERSION, type FairnessSettings, type LatencyProtocol, type LoupeSettings, type QualitySettings } from '../lib/settings/fragment';
import type { OutcomeValues } from '../lib/analysis/quality';
import type { LoupeSession, SampleInfo } from './session.svelte';
import type { BinChoice } from './fairness.svelte';
import type { LatencySettings } from './latency.svelte';
import { VIEWS, type View } from './ui.svelte';

/** One section of the settings: read it from a state, and set it back. */
export interface SettingsProvider {
  /** The section's settings as plain JSON, or undefined to leave it out. */
  get(): unknown;
  /** Sets the state from a section read from a link (already type-checked for the built-in ones). */
  apply(value: unknown): void | Promise<void>;
}

const BACKENDS: readonly string[] = ['wasm-1', 'wasm-n', 'webgpu'];

export class SettingsLink {
  #session: LoupeSession;
  #providers = new Map<string, SettingsProvider>();
  /** The hash last applied from the location, so a second call for the same link does nothing. */
  #applied: string | null = null;
  /** Set while a link is being applied (a sample may be loading). */
  applying = $state(false);

  constructor(session: LoupeSession) {
    this.#session = session;
    const q = session.quality, f = session.fairness, l = session.latency;
    this.register('quality', {
      get: (): QualitySettings => ({ threshold: q.threshold, values: { ...q.values }, calibrationBins: q.calibrationBins, calibrationStrategy: q.calibrationStrategy }),
      apply: (v) => {
        const s = v as QualitySettings;
        if (s.threshold !== undefined) {
          q.threshold = s.threshold;
          q.intervalThreshold = s.threshold;
        }
        if (s.values) q.values = { ...s.values } as OutcomeValues;
        if (s.calibrationBins !== undefined) q.calibrationBins = s.calibrationBins;
        if (s.calibrationStrategy) q.calibrationStrategy = s.calibrationStrategy;
      },
    });
    this.register('fairness', {
      get: (): FairnessSettings => {
        const out: FairnessSettings = { intersections: f.intersections, minSize: f.minSize, reference: f.reference, favorable: f.favorableChoice };
        if (f.picked) out.columns = [...f.picked];
        if (Object.keys(f.bins).length) out.bins = $state.snapshot(f.bins);
        return out;
      },
      apply: (v) => {
        const s = v as FairnessSettings;
        if (s.columns) f.picked = [...s.columns];
        if (s.intersections !== undefined) f.intersections = s.intersections;
        if (s.minSize !== undefined) f.minSize = s.minSize;
        if (s.reference !== undefined) f.reference = s.reference;
        if (s.favorable !== undefined) f.favorableChoice = s.favorable;
        if (s.bins) f.bins = { ...s.bins } as Record<string, BinChoice>;
        f.focusChoice = null;
        f.applied = null;
      },
    });
    this.register('latency', {
      get: (): LatencyProtocol => ({ ...$state.snapshot(l.settings) }),
      apply: (v) => {
        const s = { ...(v as LatencyProtocol) };
        if (s.backends) s.backends = s.backends.filter((b) => BACKENDS.includes(b));
        l.settings = { ...l.settings, ...s } as LatencySettings;
      },
    });
  }

  /** Adds (or replaces) a section of the settings. */
  register(name: string, provider: SettingsProvider): void {
    if (name === 'v' || name === 'view' || name === 'sample') throw new Error(`"${name}" is not a section name`);
    this.#providers.set(name, provider);
  }

  /** The page's settings now. */
  current(): LoupeSettings {
    const s = this.#session;
    const out: LoupeSettings = { v: SETTINGS_VERSION, view: s.ui.view };
    if (s.sample && s.data?.fileName === s.sample.csv) out.sample = s.sample.id;
    for (const [name, p] of this.#providers) {
      const v = p.get();
      if (v !== undefined) out[name] = JSON.parse(JSON.stringify(v)) as unknown;
    }
    return out;
  }

  /** The page's address with the settings fragment, or why it cannot be made. */
  link(): { ok: true; url: string; fragment: string } | { ok: false; error: string } {
    const enc = encodeSettings(this.current());
    if (!enc.ok) return enc;
    const url = new URL(location.href);
    url.hash = enc.fragment;
    return { ok: true, url: url.href, fragment: enc.fragment };
  }

  /** Puts the link in the address bar and, when the browser allows, on the clipboard; says which. */
  async copyLink(): Promise<string | null> {
    const l = this.link();
    if (!l.ok) {
      this.#session.error(l.error);
      return null;
    }
    history.replaceState(history.state, '', l.fragment);
    this.#applied = l.fragment;
    try {
      await navigator.clipboard.writeText(l.url);
      this.#session.say('info', 'Settings link copied. It holds settings only (no data); whoever opens it needs the same model and CSV, or the same sample.');
    } catch {
      this.#session.say('info', 'The settings link is in the address bar (this browser did not allow copying it). It holds settings only, no data.');
    }
    return l.url;
  }

  /** Applies settings: loads the named sample when it is not the one loaded, then sets each section and the view. */
  async apply(settings: LoupeSettings): Promise<void> {
    const s = this.#session;
    this.applying = true;
    try {
      if (settings.sample && !(s.sample?.id === settings.sample && s.data?.fileName === s.sample.csv)) {
        const sample = await this.#findSample(settings.sample);
        if (sample) await s.loadSample(sample);
        else s.say('warning', `The settings link names the sample “${settings.sample}”, which this Loupe does not have; the other settings were applied to what is loaded.`);
      }
      const failed: string[] = [];
      for (const [name, p] of this.#providers) {
        if (settings[name] === undefined) continue;
        try {
          await p.apply(settings[name]);
        } catch {
          failed.push(name);
        }
      }
      if (failed.length) s.say('warning', `Some settings from the link could not be applied: ${failed.join(', ')}.`);
      if (settings.view && (VIEWS as readonly string[]).includes(settings.view)) s.ui.show(settings.view as View);
    } finally {
      this.applying = false;
    }
  }

  /** Applies the settings in the page's address (on load, or when the fragment changes); once per link. */
  async applyFromLocation(hash: string = location.hash): Promise<boolean> {
    if (hash === this.#applied) return false;
    this.#applied = hash;
    const r = decodeSettings(hash);
    if (!r.ok) {
      if (!r.absent) this.#session.say('warning', r.error);
      return false;
    }
    if (r.ignored.length) this.#session.say('warning', `The settings link had values this Loupe cannot use, left as they were: ${r.ignored.join(', ')}.`);
    await this.apply(r.settings);
    return true;
  }

  async #findSample(id: string): Promise<SampleInfo | null> {
    try {
      const res = await fetch('samples/index.json');
      const list = res.ok ? ((await res.json()) as SampleInfo[]) : [];
      return list.find((x) => x.id === id) ?? null;
    } catch {
      return null;
    }
  }
}

const links = new WeakMap<LoupeSession, SettingsLink>();

/** The session's one settings link (created on first use). */
export function settingsLink(session: LoupeSession): SettingsLink {
  let l = links.get(session);
  if (!l) {
    l = new SettingsLink(session);
    links.set(session, l);
  }
  return l;
}
