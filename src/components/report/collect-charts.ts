/**
 * Every chart of every view, as standalone SVG, for the HTML report. Only the open tab's charts are in
 * the page, so each view is mounted in turn into a hidden container, its `ChartFrame` figures are
 * serialised the way ChartFrame's own SVG export does it, and the view is unmounted again.
 */
import { flushSync, mount, unmount } from 'svelte';
import { standaloneSvg } from '../../lib/charts/export';
import type { ReportChart } from '../../lib/report/html';
import type { LoupeSession } from '../../state/session.svelte';
import FindingsView from '../FindingsView.svelte';
import ModelCardPanel from '../ModelCardPanel.svelte';
import DataPanel from '../DataPanel.svelte';
import PredictionsView from '../PredictionsView.svelte';
import QualityView from '../QualityView.svelte';
import FairnessView from '../FairnessView.svelte';
import DriftView from '../DriftView.svelte';
import LatencyView from '../LatencyView.svelte';
import ScorecardView from '../ScorecardView.svelte';
import LocalPanel from '../explain/LocalPanel.svelte';
import GlobalPanel from '../explain/GlobalPanel.svelte';
import PdpPanel from '../explain/PdpPanel.svelte';
import CounterfactualPanel from '../explain/CounterfactualPanel.svelte';

type Mounted = ReturnType<typeof mount>;

interface Part {
  section: string;
  /** Whether the view has anything to draw for what is loaded (the tab is enabled). */
  when: boolean;
  mount: (target: HTMLElement) => Mounted[];
}

/** The views in tab order. ExplainView itself re-explains its row on mount (a worker job), so its panels are mounted instead. */
function parts(session: LoupeSession): Part[] {
  const s = session;
  return [
    { section: 'Overview', when: true, mount: (target) => [mount(FindingsView, { target, props: { session: s } })] },
    {
      section: 'Model & data',
      when: true,
      mount: (target) => [mount(ModelCardPanel, { target, props: { model: s.model } }), mount(DataPanel, { target, props: { data: s.data } })],
    },
    { section: 'Predictions', when: !!s.scoring, mount: (target) => [mount(PredictionsView, { target, props: { session: s } })] },
    { section: 'Quality', when: !!s.scoring, mount: (target) => [mount(QualityView, { target, props: { session: s, onshowrows: () => {} } })] },
    {
      section: 'Explanations',
      when: s.explain.ready,
      mount: (target) => [
        mount(LocalPanel, { target, props: { explain: s.explain } }),
        mount(GlobalPanel, { target, props: { session: s } }),
        mount(PdpPanel, { target, props: { session: s } }),
        mount(CounterfactualPanel, { target, props: { session: s } }),
      ],
    },
    { section: 'Fairness', when: !!s.scoring, mount: (target) => [mount(FairnessView, { target, props: { session: s } })] },
    { section: 'Data & drift', when: !!s.data, mount: (target) => [mount(DriftView, { target, props: { session: s } })] },
    { section: 'Latency', when: !!s.model, mount: (target) => [mount(LatencyView, { target, props: { lab: s.latency, session: s } })] },
    { section: 'Scorecard', when: !!s.scoring, mount: (target) => [mount(ScorecardView, { target, props: { session: s } })] },
  ];
}

/** A ChartFrame figure's SVG as a standalone file (what its "SVG" button saves), with its title. */
function figureChart(fig: Element, section: string): ReportChart | null {
  const el = fig.querySelector('svg.plot');
  if (!(el instanceof SVGSVGElement)) return null;
  const title = fig.querySelector('figcaption .title')?.textContent?.trim() || 'Chart';
  const vb = el.viewBox.baseVal;
  const width = vb && vb.width > 0 ? vb.width : 560, height = vb && vb.height > 0 ? vb.height : 260;
  const style = getComputedStyle(el);
  const clone = el.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('color', style.color);
  clone.setAttribute('font-family', style.fontFamily);
  clone.setAttribute('font-size', style.fontSize);
  const panel = getComputedStyle(fig).backgroundColor;
  return { section, title, svg: standaloneSvg(clone.outerHTML, width, height, panel && panel !== 'rgba(0, 0, 0, 0)' ? panel : '#ffffff') };
}

export interface CollectedCharts {
  charts: ReportChart[];
  /** Views that could not be drawn, with the reason. */
  skipped: string[];
}

/**
 * Mounts each view off-screen, one at a time, and collects its charts. `onprogress(done, total,
 * section)` reports each view; the event loop gets a turn between views so a progress bar can paint.
 */
export async function collectCharts(session: LoupeSession, onprogress?: (done: number, total: number, section: string) => void): Promise<CollectedCharts> {
  const list = parts(session).filter((p) => p.when);
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.inert = true;
  host.style.cssText = 'position:absolute;left:-10000px;top:0;width:1200px;visibility:visible;pointer-events:none';
  host.dataset.testid = 'report-chart-host';
  document.body.appendChild(host);
  const charts: ReportChart[] = [];
  const skipped: string[] = [];
  try {
    for (const [i, p] of list.entries()) {
      onprogress?.(i, list.length, p.section);
      await new Promise((r) => setTimeout(r, 0));
      const target = document.createElement('div');
      host.appendChild(target);
      let mounted: Mounted[] = [];
      try {
        mounted = p.mount(target);
        flushSync();
        for (const fig of target.querySelectorAll('figure.chart')) {
          const c = figureChart(fig, p.section);
          if (c) charts.push(c);
        }
      } catch (e) {
        skipped.push(`${p.section}: ${(e as Error).message}`);
      } finally {
        for (const m of mounted) void unmount(m);
        target.remove();
      }
    }
    onprogress?.(list.length, list.length, '');
  } finally {
    host.remove();
  }
  return { charts, skipped };
}
