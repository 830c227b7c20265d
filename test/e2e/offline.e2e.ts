/**
 * Offline after the first visit: the service worker (src/sw/sw.ts, emitted as dist/sw.js by the
 * `loupe-sw` plugin) precaches the build and the samples. The app is served by its own static server
 * under a sub-path; after the first visit the server is shut down and the context set offline, and the
 * page still reloads, stays cross-origin isolated, and scores a sample. A second test changes the
 * build's version and checks the new cache replaces the old one.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSample, openApp, type Harness } from './browser';
import { serveDist, type StaticServer } from './static-server';

const open: (Harness | StaticServer)[] = [];
const tmp: string[] = [];
afterAll(async () => {
  for (const o of open.reverse()) await o.close().catch(() => {});
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

/** The precache list and version the build wrote into sw.js. */
function swManifest(root = 'dist'): { version: string; files: string[]; onDemand: string[] } {
  const src = readFileSync(join(root, 'sw.js'), 'utf8');
  const version = JSON.parse(/const __LOUPE_VERSION__ = ("[^"]*");/.exec(src)![1]) as string;
  const files = JSON.parse(/const __LOUPE_PRECACHE__ = (\[.*?\]);/.exec(src)![1]) as string[];
  const onDemand = JSON.parse(/const __LOUPE_ON_DEMAND__ = (\[.*?\]);/.exec(src)![1]) as string[];
  return { version, files, onDemand };
}

/** Waits for the service worker to control the page and for `loupe-<version>` to hold `count` entries. */
async function cacheFilled(h: Harness, version: string, count: number): Promise<void> {
  await h.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await h.page.waitForFunction(
    async ({ name, count }) => {
      if (!(await caches.has(name))) return false;
      return (await (await caches.open(name)).keys()).length === count;
    },
    { name: `loupe-${version}`, count },
    { timeout: 60_000, polling: 250 },
  );
}

describe('offline', () => {
  test('after the first visit the app reloads, stays isolated and scores a sample with no network', async () => {
    const { version, files, onDemand } = swManifest();
    // The precache holds the page, the scripts, ort's wasm and glue, the engine worker and every sample.
    expect(files).toContain('./');
    expect(files).toContain('index.html');
    expect(files.some((f) => /^assets\/engine\.worker-.*\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => /^assets\/ort-wasm.*\.(wasm|mjs)$/.test(f)).length).toBeGreaterThanOrEqual(2);
    expect(files).toContain('samples/index.json');
    expect(files).toContain('samples/credit-gbt.onnx');
    expect(files).not.toContain('bench.html');
    // The WebGPU build is cached on first use instead (it is most of the build's bytes).
    expect(onDemand.some((f) => /asyncify.*\.wasm$/.test(f))).toBe(true);
    expect(files.some((f) => /asyncify/.test(f))).toBe(false);

    const server = await serveDist({ prefix: '/demo/app/', isolate: true });
    open.push(server);
    const t0 = Date.now();
    const h = await openApp(server.url);
    open.push(h);
    expect(await h.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await cacheFilled(h, version, files.length);
    const bytes = files.filter((f) => f !== './').reduce((a, f) => a + statSync(join('dist', f)).size, 0);
    // Logged, not asserted: how much a first visit stores and how long until it works offline.
    const later = onDemand.reduce((a, f) => a + statSync(join('dist', f)).size, 0);
    console.log(`precache: ${files.length} entries, ${(bytes / 2 ** 20).toFixed(1)} MiB, filled ${Date.now() - t0} ms after opening the page; on demand: ${onDemand.length} files, ${(later / 2 ** 20).toFixed(1)} MiB`);
    // An on-demand file fetched once while online is stored too.
    const glue = onDemand.find((f) => f.endsWith('.mjs'))!;
    await h.page.evaluate((u) => fetch(u).then((r) => r.arrayBuffer()).then(() => undefined), glue);
    await cacheFilled(h, version, files.length + 1);
    const scope = await h.page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
    expect(scope).toBe(server.url);

    // No network at all: the host is gone and the browser is offline.
    await server.close();
    await h.context.setOffline(true);
    h.pageErrors.length = 0;
    await h.page.reload();
    expect(await h.page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    expect(await h.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await loadSample(h, 'credit-gbt');
    const scored = await h.page.evaluate(() => (window as unknown as { loupe: { scoring: { scored: number } } }).loupe.scoring.scored);
    const rows = readFileSync('static/samples/credit.csv', 'utf8').trim().split('\n').length - 1;
    expect(scored).toBe(rows);
    await h.page.getByTestId('tab-predictions').click();
    await h.page.getByTestId('rows-scored').waitFor();
    // wasm threads survive offline too: the isolation line says more than one thread when cores allow.
    expect(await h.page.getByTestId('isolation').innerText()).toMatch(/Cross-origin isolated/);
    expect(h.pageErrors).toEqual([]);
  });

  test('a new build replaces the old cache', async () => {
    const root = mkdtempSync(join(tmpdir(), 'loupe-sw-'));
    tmp.push(root);
    cpSync('dist', root, { recursive: true });
    const { version, files } = swManifest(root);
    const server = await serveDist({ prefix: '/', isolate: true, root });
    open.push(server);
    const h = await openApp(server.url);
    open.push(h);
    await cacheFilled(h, version, files.length);

    // A "new build": same files, new version string in sw.js (what any change to the build produces).
    const next = 'f'.repeat(16);
    const sw = readFileSync(join(root, 'sw.js'), 'utf8').replace(`"${version}"`, `"${next}"`);
    writeFileSync(join(root, 'sw.js'), sw);
    await h.page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.update()));
    await h.page.waitForFunction(
      async (name) => (await caches.keys()).filter((k) => k.startsWith('loupe-')).join() === name,
      `loupe-${next}`,
      { timeout: 60_000, polling: 250 },
    );
    await cacheFilled(h, next, files.length);
  });
});
