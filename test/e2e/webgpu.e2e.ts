/**
 * The WebGPU path, run tiny: headless Chromium here has no GPU, only SwiftShader's software adapter
 * behind --enable-unsafe-webgpu. It proves the WebGPU build loads from our own origin and scores, and
 * that a model the WebGPU build cannot run falls back to WebAssembly with the reason. Never timed.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { openApp, offOrigin, type Harness } from './browser';

const baseUrl = inject('baseUrl');
const samples = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { id: string; model: string }[];
let h: Harness;

type W = { loupe: { env: { webgpu: { available: boolean; adapter: string } } | null; scoring: { scored: number; n: number; backend: string } | null; job: unknown; model: { fileName: string; backend: string } | null } };
const done = (model: string) =>
  h.page.waitForFunction(
    (m) => {
      const s = (window as unknown as W).loupe;
      return s.model?.fileName === m && !!s.scoring && s.scoring.scored === s.scoring.n && !s.job;
    },
    model,
    { timeout: 90_000 },
  );

beforeAll(async () => {
  h = await openApp(baseUrl, { webgpu: true });
  await h.page.waitForFunction(() => !!(window as unknown as W).loupe.env);
});
afterAll(async () => {
  await h?.close();
});

describe('WebGPU backend', () => {
  test('the adapter is named and WebGPU can be picked', async () => {
    const gpu = await h.page.evaluate(() => (window as unknown as W).loupe.env!.webgpu);
    expect(gpu.available).toBe(true);
    expect(gpu.adapter).toMatch(/swiftshader/i);
    await h.page.getByTestId('backend').selectOption('webgpu');
  });

  test('a standard-ops network scores on WebGPU', async () => {
    const net = samples.find((s) => s.id === 'wine-mlp')!;
    await h.page.getByTestId(`sample-${net.id}`).click();
    await done(net.model);
    expect(await h.page.getByTestId('backend-used').innerText()).toBe('webgpu');
    await h.page.getByTestId('tab-predictions').click();
    expect(parseFloat(await h.page.getByTestId('accuracy').innerText())).toBeGreaterThan(80);
  });

  test('an ai.onnx.ml model falls back to WebAssembly and says which op', async () => {
    const trees = samples[0];
    await h.page.getByTestId(`sample-${trees.id}`).click();
    await done(trees.model);
    expect(await h.page.getByTestId('backend-used').innerText()).toBe('wasm');
    const notes = await h.page.evaluate(() => (window as unknown as { loupe: { model: { notices: string[] } } }).loupe.model.notices);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/WebGPU cannot run this model \(.*no kernel for the \w+ operator\); it runs on WebAssembly instead/)]));
  });

  test('the latency lab times WebGPU beside wasm, and says why a model cannot use it', async () => {
    const lab = async () => {
      await h.page.getByTestId('tab-latency').click();
      await h.page.getByTestId('lat-runs').fill('5');
      await h.page.getByTestId('lat-sweep-max').fill('4');
      await h.page.getByTestId('lat-sweep-runs').fill('2');
      await h.page.getByTestId('lat-backend-wasm-n').uncheck();
      await h.page.getByTestId('lat-run').click();
      await h.page.getByTestId('lat-run').waitFor({ timeout: 120_000 });
    };
    const net = samples.find((s) => s.id === 'wine-mlp')!;
    await h.page.getByTestId(`sample-${net.id}`).click();
    await done(net.model);
    await lab();
    const gpuRow = h.page.locator('[data-testid="lat-table"] tr[data-backend="webgpu"]');
    expect(await gpuRow.innerText()).toMatch(/WebGPU \(.*swiftshader/i);
    expect(await gpuRow.locator('td[data-stat="p50"]').innerText()).toMatch(/\d/);
    // A tree model: the WebGPU build has no ai.onnx.ml kernels, and the lab says so.
    await h.page.getByTestId(`sample-${samples[0].id}`).click();
    await done(samples[0].model);
    await lab();
    expect(await h.page.locator('[data-testid="lat-table"] tr[data-backend="webgpu"]').innerText()).toMatch(/Unavailable: WebGPU cannot run this model/);
  });

  test('nothing left the origin', () => {
    expect(offOrigin(h.requests, baseUrl)).toEqual([]);
  });
});
