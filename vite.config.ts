import { defineConfig, defaultClientConditions, transformWithOxc, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Headers that make the page cross-origin isolated, so onnxruntime-web can use wasm threads. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Every file under `dir`, as paths relative to it with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
}

/**
 * onnxruntime-web's WebGPU build (its JS and the asyncify wasm, ~27 MB of the ~41 MB build): cached
 * the first time the latency lab or the WebGPU backend asks for it, not on every first visit.
 */
const ON_DEMAND = /^assets\/(ort\.webgpu\.min-|ort-wasm-simd-threaded\.asyncify-)/;

/**
 * Emits `sw.js` (from `src/sw/sw.ts`) beside index.html with the list of files to precache: this
 * build's output except the bench page and its entry, plus everything in the public dir, and the
 * list of files cached on first use (ON_DEMAND). The version
 * hashes that list and the contents of the files whose names carry no hash, so a new build gets a new
 * cache and the old one is deleted when the new worker activates.
 */
function serviceWorker(): Plugin {
  let publicDir = '';
  return {
    name: 'loupe-sw',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async generateBundle(_options, bundle) {
      const built = Object.values(bundle)
        .filter((f) => !(f.type === 'chunk' && f.isEntry && f.name !== 'main'))
        .map((f) => f.fileName)
        .filter((name) => name.endsWith('.html') ? name === 'index.html' : true);
      const statics = publicDir ? filesUnder(publicDir) : [];
      const all = ['./', ...new Set([...built, ...statics])].sort();
      const files = all.filter((name) => !ON_DEMAND.test(name));
      const onDemand = all.filter((name) => ON_DEMAND.test(name));
      const hash = createHash('sha256');
      for (const name of all) hash.update(name + '\n');
      const index = bundle['index.html'];
      if (index?.type === 'asset') hash.update(index.source);
      for (const name of statics) hash.update(readFileSync(join(publicDir, name)));
      const src = join(import.meta.dirname, 'src/sw/sw.ts');
      const { code } = await transformWithOxc(readFileSync(src, 'utf8'), src, { lang: 'ts', target: 'es2022' });
      hash.update(code);
      const version = hash.digest('hex').slice(0, 16);
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: [
          `const __LOUPE_VERSION__ = ${JSON.stringify(version)};`,
          `const __LOUPE_PRECACHE__ = ${JSON.stringify(files)};`,
          `const __LOUPE_ON_DEMAND__ = ${JSON.stringify(onDemand)};`,
          code,
        ].join('\n'),
      });
    },
  };
}

export default defineConfig({
  // Relative base: the built site works from any sub-path and any static host.
  base: './',
  publicDir: 'static',
  plugins: [svelte(), serviceWorker()],
  resolve: {
    // The extern-wasm builds of onnxruntime-web load their .mjs/.wasm from `wasmPaths` (our own
    // assets) instead of inlining the glue, so ort's thread workers start ort, not our worker.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // bench.html: the overhead bench's page (Loupe's engine vs a bare onnxruntime-web loop), for `npm run bench`.
    rolldownOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['onnx-proto', 'papaparse', 'comlink', 'd3'] },
});
