/**
 * Real Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core, a fresh
 * profile, no background networking. Every request the page (and its workers) makes is recorded so a
 * test can assert that nothing left the app's origin.
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LOUPE_CHROMIUM || '/usr/bin/chromium';

export interface Harness {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL requested, in order. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openApp(baseUrl: string, opts: { webgpu?: boolean } = {}): Promise<Harness> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
  if (opts.webgpu) args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const requests: string[] = [];
  const pageErrors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(baseUrl);
  return { browser, context, page, requests, pageErrors, close: () => browser.close() };
}

/** Requests that went anywhere but the app's own origin (data: and blob: URLs are local). */
export function offOrigin(requests: string[], baseUrl: string): string[] {
  const origin = new URL(baseUrl).origin;
  return requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
}

/** The bundled samples' manifest, as the gallery reads it. */
export const SAMPLES = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { id: string; model: string; csv: string; target: string }[];

/** Clicks a sample in the gallery and waits until its rows are scored and no job runs. */
export async function loadSample(h: Harness, id: string): Promise<void> {
  await h.page.getByTestId(`sample-${id}`).click();
  await h.page.waitForFunction(
    (model) => {
      const s = (window as unknown as { loupe: { scoring: unknown; job: unknown; model: { fileName: string } | null } }).loupe;
      return s.model?.fileName === model && !!s.scoring && !s.job;
    },
    SAMPLES.find((x) => x.id === id)!.model,
    { timeout: 60_000 },
  );
}
