/**
 * Accessibility in real Chromium: axe-core (injected through the DevTools protocol, so the app's CSP
 * stays as strict as it ships) finds no serious or critical violation on the welcome page, on every
 * enabled tab after the credit-gbt sample loads (so views added later are covered), on the drift view
 * with the current CSV, on the explanations view after an explanation ran, and all of that again in
 * the dark theme and at a narrow width. Every chart SVG has a role and a name, and its text (which axe
 * leaves undecided inside SVG images) meets 4.5:1. The keyboard reaches every visible control with a
 * focus ring and operates the tabs, the threshold slider and a chart's table view; nothing is
 * clickable without being focusable, and no tabindex is positive.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSample, openApp, type Harness } from './browser';

const baseUrl = inject('baseUrl');
const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

interface AxeNode { target: string[]; html: string; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; nodes: AxeNode[] }

let h: Harness;
type Loupe = { job: unknown; scoring: unknown; currentScoring: unknown };
const idle = () => h.page.waitForFunction(() => !(window as unknown as { loupe: Loupe }).loupe.job, null, { timeout: 60_000 });

/** Runs axe on the whole page; logs moderate/minor findings, returns the serious and critical ones. */
async function audit(label: string): Promise<string[]> {
  // page.evaluate goes through the DevTools protocol, which the page's CSP does not govern; a <script>
  // tag with inline content would be (rightly) refused by `script-src 'self'`.
  if (!(await h.page.evaluate(() => 'axe' in window))) await h.page.evaluate(AXE);
  const result = await h.page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    type Incomplete = { id: string; nodes: { html: string; any: { data?: { messageKey?: string } | null }[] }[] };
    const unsure = (r as unknown as { incomplete: Incomplete[] }).incomplete.map((v) => {
      const why = new Map<string, number>();
      for (const n of v.nodes) for (const c of n.any) if (c.data?.messageKey) why.set(c.data.messageKey, (why.get(c.data.messageKey) ?? 0) + 1);
      return `${v.id} ×${v.nodes.length}${why.size ? ` (${[...why].map(([k, c]) => `${k} ${c}`).join(', ')})` : ''} e.g. ${v.nodes[0]?.html.slice(0, 90)}`;
    });
    const violations = r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 160), failureSummary: n.failureSummary })),
    }));
    return { violations, unsure };
  });
  if (result.unsure.length) console.log(`[${label}] axe could not decide (needs review): ${result.unsure.join(', ')}`);
  const { violations } = result;
  const bad: string[] = [];
  for (const v of violations) {
    const where = v.nodes.map((n) => `    ${n.target.join(' ')}  ${n.html}\n      ${(n.failureSummary ?? '').replace(/\n/g, ' ')}`).join('\n');
    const line = `[${label}] ${v.impact} ${v.id}: ${v.help}\n${where}`;
    if (v.impact === 'serious' || v.impact === 'critical') bad.push(line);
    else console.log(line);
  }
  return bad;
}

/** Every chart SVG: role img with a name, or role group (it holds controls) with a name. */
async function chartsNamed(): Promise<string[]> {
  return h.page.evaluate(() =>
    [...document.querySelectorAll('main svg')]
      .filter((s) => s.getAttribute('aria-hidden') !== 'true' && !s.closest('[aria-hidden="true"]'))
      .filter((s) => !['img', 'group'].includes(s.getAttribute('role') ?? '') || !(s.getAttribute('aria-label') ?? s.getAttribute('aria-labelledby') ?? '').trim())
      .map((s) => s.outerHTML.slice(0, 120)),
  );
}

/**
 * axe leaves text inside SVG images undecided, so chart text gets its own check: its fill, with the
 * opacity of it and its ancestors, against the chart's panel, at least 4.5:1 (3:1 from 18.66 px bold
 * or 24 px). Text set to black or white on a coloured cell (heatmaps pick whichever reads better) is
 * left out: its background is the cell, not the panel.
 */
async function chartTextContrast(): Promise<string[]> {
  return h.page.evaluate(() => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (u: number) => ((u /= 255) <= 0.04045 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const out: string[] = [];
    for (const t of document.querySelectorAll<SVGTextElement>('main figure svg text')) {
      if (!t.textContent?.trim() || !t.checkVisibility()) continue;
      const own = (t.style.fill || t.getAttribute('fill') || '').toLowerCase().replace(/\s/g, '');
      if (['#000000', '#ffffff', '#000', '#fff', 'black', 'white', 'rgb(0,0,0)', 'rgb(255,255,255)'].includes(own)) continue;
      const cs = getComputedStyle(t);
      const fg = parse(cs.fill);
      if (fg.length < 3) continue;
      let alpha = (fg[3] ?? 1) * Number(cs.fillOpacity);
      for (let e: Element | null = t; e && e.tagName.toLowerCase() !== 'svg'; e = e.parentElement) alpha *= Number(getComputedStyle(e).opacity);
      const bg = parse(getComputedStyle(t.closest('figure')!).backgroundColor).slice(0, 3);
      const mixed = fg.slice(0, 3).map((v, i) => alpha * v + (1 - alpha) * bg[i]);
      const [a, b] = [lum(mixed), lum(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${ratio.toFixed(2)}:1 "${t.textContent.trim().slice(0, 40)}" (${cs.fill}, opacity ${alpha.toFixed(2)}) in "${t.closest('figure')?.querySelector('.title')?.textContent}"`);
    }
    return out;
  });
}

async function enabledTabs(): Promise<string[]> {
  return h.page.locator('nav.tabs button:not([disabled])').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid')!));
}

async function auditEveryView(theme: string): Promise<string[]> {
  const bad: string[] = [];
  for (const tab of await enabledTabs()) {
    await h.page.getByTestId(tab).click();
    await idle();
    // Charts and tables settle after a frame or two.
    await h.page.waitForTimeout(300);
    bad.push(...(await audit(`${theme} ${tab}`)));
    bad.push(...(await chartsNamed()).map((s) => `[${theme} ${tab}] chart SVG without role+name: ${s}`));
    bad.push(...(await chartTextContrast()).map((s) => `[${theme} ${tab}] chart text contrast ${s}`));
  }
  return bad;
}

beforeAll(async () => {
  h = await openApp(baseUrl);
});
afterAll(async () => {
  await h?.close();
});

describe('accessibility (axe-core)', () => {
  test('the welcome page before anything is loaded', async () => {
    await h.page.getByTestId('sample-credit-gbt').waitFor();
    expect(await audit('light welcome')).toEqual([]);
    await h.page.emulateMedia({ colorScheme: 'dark' });
    expect(await audit('dark welcome')).toEqual([]);
    await h.page.emulateMedia({ colorScheme: 'light' });
  });

  test('every view with the credit-gbt sample, light theme', async () => {
    await loadSample(h, 'credit-gbt');
    const tabs = await enabledTabs();
    expect(tabs.length).toBeGreaterThanOrEqual(8);
    expect(await auditEveryView('light')).toEqual([]);
  });

  test('drift with the current CSV, and explanations after one ran', async () => {
    await h.page.getByTestId('tab-drift').click();
    await h.page.getByTestId('load-drifted').click();
    await h.page.waitForFunction(() => {
      const s = (window as unknown as { loupe: Loupe }).loupe;
      return !s.job && !!s.currentScoring;
    }, undefined, { timeout: 60_000 });
    await h.page.getByTestId('drift-table').waitFor();
    await h.page.waitForTimeout(300);
    const bad = await audit('light drift+current');
    bad.push(...(await chartsNamed()));
    bad.push(...(await chartTextContrast()));

    await h.page.getByTestId('tab-explain').click();
    await h.page.getByTestId('explain-row').fill('5');
    await h.page.getByTestId('explain-open-row').click();
    await h.page.getByTestId('waterfall').waitFor({ timeout: 30_000 });
    await idle();
    bad.push(...(await audit('light explain+row')));
    bad.push(...(await chartsNamed()));
    bad.push(...(await chartTextContrast()));
    expect(bad).toEqual([]);
  });

  test('every view in the dark theme (it follows the system setting)', async () => {
    await h.page.emulateMedia({ colorScheme: 'dark' });
    const bg = await h.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).not.toBe('rgb(247, 248, 250)');
    expect(await auditEveryView('dark')).toEqual([]);
    await h.page.emulateMedia({ colorScheme: 'light' });
  });

  test('every view at a narrow width (a tablet, or a laptop zoomed to 175%)', async () => {
    await h.page.setViewportSize({ width: 800, height: 900 });
    try {
      expect(await auditEveryView('narrow')).toEqual([]);
    } finally {
      await h.page.setViewportSize({ width: 1400, height: 900 });
    }
  });
});

/**
 * Walks the page with Tab from the top until focus comes round again; returns what was reached, the
 * visible enabled controls that were not, and the focused elements that showed no focus ring.
 */
async function tabWalk(max = 800): Promise<{ reached: number; missed: string[]; noRing: string[] }> {
  await h.page.evaluate(() => {
    const w = window as unknown as { __kb: { seen: Set<Element>; noRing: string[]; wrapped: boolean } };
    document.querySelectorAll('[data-kb-reached]').forEach((e) => e.removeAttribute('data-kb-reached'));
    w.__kb = { seen: new Set(), noRing: [], wrapped: false };
    if (!(window as unknown as { __kbListening?: boolean }).__kbListening) {
      (window as unknown as { __kbListening?: boolean }).__kbListening = true;
      document.addEventListener('focusin', (e) => {
        const el = e.target as HTMLElement;
        const kb = (window as unknown as { __kb: typeof w.__kb }).__kb;
        if (kb.seen.has(el)) kb.wrapped = true;
        kb.seen.add(el);
        el.setAttribute('data-kb-reached', '');
        const s = getComputedStyle(el);
        // A ring: the global :focus-visible outline, or a component's own drawn focus mark (SVG nodes).
        const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || !!el.querySelector(':scope > .focus');
        if (!ring || !el.matches(':focus-visible')) kb.noRing.push(el.outerHTML.slice(0, 100));
      });
    }
    (document.activeElement as HTMLElement | null)?.blur();
  });
  for (let i = 0; i < max; i++) {
    await h.page.keyboard.press('Tab');
    if (i % 20 === 19 && (await h.page.evaluate(() => (window as unknown as { __kb: { wrapped: boolean } }).__kb.wrapped))) break;
  }
  return h.page.evaluate(() => {
    const kb = (window as unknown as { __kb: { seen: Set<Element>; noRing: string[]; wrapped: boolean } }).__kb;
    const controls = [...document.querySelectorAll<HTMLElement>('button, input:not([type="hidden"]), select, textarea, a[href], summary, [tabindex]')]
      .filter((e) => !(e as HTMLButtonElement).disabled && (e.tabIndex >= 0 || e.matches('button, input, select, textarea, a[href], summary')) && e.checkVisibility({ visibilityProperty: true }) && !e.closest('[inert]'));
    return {
      reached: kb.seen.size,
      missed: controls.filter((e) => !e.hasAttribute('data-kb-reached')).map((e) => e.outerHTML.slice(0, 120)),
      noRing: kb.noRing,
    };
  });
}

/** Elements with a Svelte click handler that the keyboard cannot reach or name, and positive tabindex. */
async function clickTraps(): Promise<string[]> {
  return h.page.evaluate(() => {
    const out: string[] = [];
    const native = 'button, a[href], input, select, textarea, summary, label, option';
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.tabIndex > 0) out.push(`positive tabindex: ${el.outerHTML.slice(0, 100)}`);
      // Svelte 5 keeps delegated handlers under a symbol described 'events'.
      const sym = Object.getOwnPropertySymbols(el).find((s) => s.description === 'events');
      const handlers = sym ? (el as unknown as Record<symbol, Record<string, unknown>>)[sym] : null;
      const clickable = !!handlers?.click || el.hasAttribute('onclick');
      if (!clickable || el.matches(native)) continue;
      // A row that is clickable for the mouse is fine when it holds a button doing the same for the keyboard.
      if (el.querySelector('button, a[href], input, select')) continue;
      if (!el.getAttribute('role') || el.tabIndex < 0) out.push(`click without role+tabindex: ${el.outerHTML.slice(0, 100)}`);
    }
    return out;
  });
}

describe('keyboard', () => {
  test('Tab reaches every tab button and every visible control of each view, with a focus ring', async () => {
    await h.page.emulateMedia({ colorScheme: 'light' });
    if (!(await h.page.evaluate(() => !!(window as unknown as { loupe: Loupe }).loupe.scoring))) await loadSample(h, 'credit-gbt');
    const tabs = await enabledTabs();
    expect(tabs.length).toBeGreaterThanOrEqual(8);
    const problems: string[] = [];
    for (const tab of tabs) {
      await h.page.getByTestId(tab).click();
      await idle();
      await h.page.waitForTimeout(200);
      const walk = await tabWalk();
      console.log(`${tab}: ${walk.reached} elements reached with Tab`);
      problems.push(...walk.missed.map((m) => `[${tab}] not reached by Tab: ${m}`));
      problems.push(...walk.noRing.map((m) => `[${tab}] no visible focus: ${m}`));
      problems.push(...(await clickTraps()).map((m) => `[${tab}] ${m}`));
      // Every tab button is in the Tab order on every view.
      const reachedTabs = await h.page.locator('nav.tabs button[data-kb-reached]').count();
      expect(reachedTabs).toBe(tabs.length);
    }
    expect(problems).toEqual([]);
  });

  test('a tab opens with Enter and with Space', async () => {
    await h.page.getByTestId('tab-predictions').focus();
    await h.page.keyboard.press('Enter');
    await expect.poll(() => h.page.evaluate(() => (window as unknown as { loupe: { ui: { view: string } } }).loupe.ui.view)).toBe('predictions');
    await h.page.getByTestId('tab-quality').focus();
    await h.page.keyboard.press('Space');
    await expect.poll(() => h.page.evaluate(() => (window as unknown as { loupe: { ui: { view: string } } }).loupe.ui.view)).toBe('quality');
    expect(await h.page.getByTestId('tab-quality').getAttribute('aria-pressed')).toBe('true');
  });

  test('the threshold slider moves with the arrow keys and Page Up', async () => {
    const slider = h.page.getByTestId('q-threshold-slider');
    await h.page.getByTestId('q-acc-opt').waitFor();
    await slider.fill('0.5');
    const cells = () => h.page.locator('[data-testid="q-confusion"] td[data-cell] strong').allInnerTexts();
    const before = await cells();
    await slider.focus();
    for (let i = 0; i < 5; i++) await h.page.keyboard.press('ArrowRight');
    expect(await h.page.getByTestId('q-threshold').innerText()).toBe('0.505');
    await h.page.keyboard.press('ArrowLeft');
    expect(await h.page.getByTestId('q-threshold').innerText()).toBe('0.504');
    await h.page.keyboard.press('PageUp');
    const moved = Number(await h.page.getByTestId('q-threshold').innerText());
    expect(moved).toBeGreaterThan(0.55);
    expect(await cells()).not.toEqual(before);
  });

  test("a chart's table view opens and closes with the keyboard", async () => {
    const index = await h.page.locator('figure.chart').evaluateAll((fs) => fs.findIndex((f) => [...f.querySelectorAll('button')].some((b) => b.textContent === 'Table')));
    expect(index).toBeGreaterThanOrEqual(0);
    const frame = h.page.locator('figure.chart').nth(index);
    const toggle = frame.getByRole('button', { name: 'Table' });
    await toggle.focus();
    await h.page.keyboard.press('Enter');
    await frame.locator('.table-view table').waitFor();
    expect(await frame.locator('.table-view tbody tr').count()).toBeGreaterThan(0);
    expect(await frame.locator('svg.plot').count()).toBe(0);
    // The table's scroll box takes focus, so its rows can be scrolled without a mouse.
    expect(await frame.locator('.table-view').getAttribute('tabindex')).toBe('0');
    const back = frame.getByRole('button', { name: 'Chart' });
    expect(await back.evaluate((b) => b === document.activeElement)).toBe(true);
    await h.page.keyboard.press('Space');
    await frame.locator('svg.plot').waitFor();
  });
});
