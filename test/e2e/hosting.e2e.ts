/**
 * The built site on plain static hosts: under a sub-path, and without the isolation headers (where
 * wasm must fall back to one thread and the page must say so).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { openApp, offOrigin, type Harness } from './browser';
import { serveDist, type StaticServer } from './static-server';

const samples = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { id: string }[];
const open: (Harness | StaticServer)[] = [];
afterAll(async () => {
  for (const o of open.reverse()) await o.close();
});

async function scoresSample(h: Harness) {
  await h.page.getByTestId(`sample-${samples[0].id}`).click();
  await h.page.waitForFunction(() => {
    const s = (window as unknown as { loupe: { scoring: { scored: number } | null } }).loupe;
    return !!s.scoring && s.scoring.scored > 0;
  }, undefined, { timeout: 60_000 });
}

describe('static hosting', () => {
  test('works from a sub-path of any static host, isolated', async () => {
    const server = await serveDist({ prefix: '/some/deep/path/', isolate: true });
    open.push(server);
    const h = await openApp(server.url);
    open.push(h);
    expect(await h.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await scoresSample(h);
    expect(offOrigin(h.requests, server.url)).toEqual([]);
    // Every request stayed under the sub-path.
    expect(h.requests.filter((u) => !new URL(u).pathname.startsWith('/some/deep/path/') && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  });

  test('without COOP/COEP it runs single-threaded and says so', async () => {
    const server = await serveDist({ prefix: '/', isolate: false });
    open.push(server);
    const h = await openApp(server.url);
    open.push(h);
    expect(await h.page.evaluate(() => crossOriginIsolated)).toBe(false);
    await h.page.getByTestId('isolation').waitFor();
    expect(await h.page.getByTestId('isolation').innerText()).toMatch(/Not cross-origin isolated: wasm runs single-threaded/);
    await scoresSample(h);
    const threads = await h.page.evaluate(() => (window as unknown as { loupe: { env: { wasmThreads: number } } }).loupe.env.wasmThreads);
    expect(threads).toBe(1);
  });
});
