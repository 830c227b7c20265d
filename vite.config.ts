import { defineConfig, defaultClientConditions } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** Headers that make the page cross-origin isolated, so onnxruntime-web can use wasm threads. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative base: the built site works from any sub-path and any static host.
  base: './',
  publicDir: 'static',
  plugins: [svelte()],
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
