/**
 * A full session, as a user would run it, and every request it made: load a sample, the drifted CSV,
 * every view, one explanation, a short latency run, the scorecard with the three credit models, both
 * report exports and the settings link. Nothing may leave the app's origin, and the page's CSP must
 * forbid it in the first place.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { loadSample, openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
let h: Harness;

type Loupe = {
  job: unknown;
  currentScoring: unknown;
  explain: { local: unknown };
  latency: { figures: unknown; running: boolean };
  scorecard: { candidates: unknown[]; adding: string | null };
};
/** Waits for a condition on `window.loupe` (a function, not a string: the page's CSP forbids eval). */
const until = (which: 'current' | 'explained' | 'latency' | 'scorecard', timeout = 120_000) =>
  h.page.waitForFunction(
    (w) => {
      const s = (window as unknown as { loupe: Loupe }).loupe;
      if (w === 'current') return !s.job && !!s.currentScoring;
      if (w === 'explained') return !!s.explain.local && !s.job;
      if (w === 'latency') return !!s.latency.figures && !s.latency.running;
      return s.scorecard.candidates.length === 3 && !s.scorecard.adding && !s.job;
    },
    which,
    { timeout },
  );

beforeAll(async () => {
  h = await openApp(baseUrl);
  await h.context.grantPermissions(['clipboard-read', 'clipboard-write']);
});
afterAll(async () => {
  await h?.close();
});

describe('privacy: a full session stays on this origin', () => {
  test('the CSP allows connections to this origin only', async () => {
    const csp = await h.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    // The CSP is enforced: a fetch to another origin is refused by the browser, not just by convention.
    const outcome = await h.page.evaluate(() => fetch('https://example.com/').then(() => 'sent', (e: Error) => `refused: ${e.message}`));
    expect(outcome).toMatch(/^refused/);
  });

  test('load, score, every view, an explanation, latency, the scorecard and every export', async () => {
    await loadSample(h, 'credit-gbt');
    await h.page.getByTestId('tab-drift').click();
    await h.page.getByTestId('load-drifted').click();
    await until('current');

    for (const v of ['findings', 'overview', 'predictions', 'quality', 'fairness', 'drift']) {
      await h.page.getByTestId(`tab-${v}`).click();
      await h.page.locator('main').waitFor();
    }

    await h.page.getByTestId('tab-explain').click();
    await h.page.getByTestId('explain-row').fill('5');
    await h.page.getByTestId('explain-open-row').click();
    await until('explained');

    await h.page.getByTestId('tab-latency').click();
    await h.page.getByTestId('lat-runs').fill('20');
    await h.page.getByTestId('lat-sweep-max').fill('8');
    await h.page.getByTestId('lat-sweep-runs').fill('3');
    await h.page.getByTestId('lat-backend-webgpu').uncheck();
    await h.page.getByTestId('lat-run').click();
    await until('latency');

    await h.page.getByTestId('tab-scorecard').click();
    await h.page.getByTestId('sc-siblings').click();
    await until('scorecard');

    const [json] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-report').click()]);
    expect(json.suggestedFilename()).toBe('loupe-report.json');
    await h.page.getByTestId('export-html-toggle').click();
    const [html] = await Promise.all([h.page.waitForEvent('download'), h.page.getByTestId('export-html').click()]);
    expect(html.suggestedFilename()).toBe('loupe-report.html');
    await h.page.getByTestId('copy-settings-link').click();
    await expect.poll(() => h.page.evaluate(() => location.hash)).toMatch(/^#loupe=/);

    const own = h.requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:'));
    console.log(`full session: ${h.requests.length} requests, ${own.length} to this origin`);
    expect(own.length).toBeGreaterThan(5);
    // The one refused fetch of the CSP test above is the only attempt to leave.
    expect(offOrigin(h.requests, baseUrl).filter((u) => u !== 'https://example.com/')).toEqual([]);
    expect(h.pageErrors.filter((e) => !/example\.com|Content Security Policy/.test(e))).toEqual([]);
  });
});
