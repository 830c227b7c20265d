/**
 * The guided tour of a sample for presenting: loads the credit sample when nothing is loaded, then
 * walks through the views in order, each step switching the tab and showing a caption (what to look
 * at, and why it matters in production). The captions are data, below.
 */
import type { LoupeSession, SampleInfo } from './session.svelte';
import type { View } from './ui.svelte';

export interface TourStep {
  view: View;
  title: string;
  /** What to look at on the screen. */
  look: string;
  /** Why it matters once the model is in production. */
  why: string;
  /** Something the step does when it opens: load the sample's drifted CSV, or its sibling models. */
  prepare?: 'load-current' | 'add-siblings';
}

/** The sample the tour loads when nothing is loaded. */
export const TOUR_SAMPLE = 'credit-gbt';

export const TOUR_STEPS: readonly TourStep[] = [
  {
    view: 'quality',
    title: 'Quality: more than one accuracy figure',
    look: 'Move the threshold and watch the confusion matrix and the cost of each kind of error change; check the calibration curve and the interval beside every headline number.',
    why: 'In production someone picks the threshold, each mistake has a price, and a score of 0.7 will be read as a 70% risk. A metric without an interval may be noise from a small test set.',
  },
  {
    view: 'latency',
    title: 'Latency: measured in this browser',
    look: 'Run the lab: p50 and p95 per backend at batch 1, the cold start, and the largest batch that keeps p95 under the budget.',
    why: 'People feel the slow tail, not the average, and a first visit pays the cold start. A slightly better model that is ten times slower may not be worth shipping.',
  },
  {
    view: 'explain',
    title: 'Explanations: what the model leans on',
    look: 'Run the SHAP summary or permutation importance, then open one row and change a value to see the prediction move.',
    why: 'A feature that carries nearly all the importance may be a leak that disappears at prediction time. Reviewers, and the people a decision affects, will ask why.',
  },
  {
    view: 'fairness',
    title: 'Fairness: one model, different groups',
    look: 'Selection and error rates per group of the sensitive columns, the gaps with their intervals, groups too small to judge, and what each threshold fix would cost.',
    why: 'An average can hide a group the model serves worse. Regulators and customers judge the gaps, not the overall accuracy.',
  },
  {
    view: 'drift',
    title: 'Drift: the data moves after launch',
    look: 'The sample’s later file is loaded as “current”: features ranked by PSI, the overlaid distributions, prediction drift and how the metrics changed.',
    why: 'A model learns from yesterday’s rows. When today’s inputs shift, quality drops without an error message unless someone compares.',
    prepare: 'load-current',
  },
  {
    view: 'scorecard',
    title: 'Scorecard: one decision, many stakeholders',
    look: 'The sample’s three credit models side by side on quality, latency, size and fairness, against each stakeholder’s limit. Press “Measure latency” to fill the latency column.',
    why: 'A simpler model that is nearly as good is often the better product: cheaper to run, easier to explain. A complex one has to earn its place.',
    prepare: 'add-siblings',
  },
];

export class TourState {
  active = $state(false);
  index = $state(0);
  /** Starting (fetching and scoring the sample). */
  starting = $state(false);

  readonly steps = TOUR_STEPS;
  readonly step = $derived(TOUR_STEPS[this.index]);

  #session: LoupeSession;

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  /** Loads the sample when nothing is loaded, then opens the first step. */
  async start(): Promise<void> {
    const s = this.#session;
    if (this.starting) return;
    this.starting = true;
    try {
      if (!s.model && !s.data) {
        const sample = await this.#sample();
        if (!sample) return;
        await s.loadSample(sample);
        if (!s.scoring) return;
      }
      this.active = true;
      this.go(0);
    } finally {
      this.starting = false;
    }
  }

  async #sample(): Promise<SampleInfo | null> {
    try {
      const res = await fetch('samples/index.json');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const list = (await res.json()) as SampleInfo[];
      const pick = list.find((x) => x.id === TOUR_SAMPLE) ?? list[0];
      if (!pick) throw new Error('the list of samples is empty');
      return pick;
    } catch (e) {
      this.#session.error(`The tour could not read the samples (${(e as Error).message}).`);
      return null;
    }
  }

  /** Opens step `i` (clamped): its view, and what it prepares. */
  go(i: number): void {
    const s = this.#session;
    this.index = Math.max(0, Math.min(TOUR_STEPS.length - 1, i));
    const step = TOUR_STEPS[this.index];
    s.ui.show(step.view);
    if (step.prepare === 'load-current' && s.sample?.current && !s.current && !s.job) void s.loadSampleCurrent();
    if (step.prepare === 'add-siblings' && s.sample && !s.job && s.scorecard.extras.length === 0) void s.scorecard.addSiblings();
  }

  next(): void {
    if (this.active && this.index < TOUR_STEPS.length - 1) this.go(this.index + 1);
  }

  back(): void {
    if (this.active && this.index > 0) this.go(this.index - 1);
  }

  end(): void {
    this.active = false;
  }
}
