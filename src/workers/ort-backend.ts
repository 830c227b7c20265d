/**
 * Loads onnxruntime-web for one execution provider, lazily: the wasm build (14 MB) on first use,
 * the WebGPU build (a second, larger wasm) only when the user asks for WebGPU. Both are served by the
 * app itself: Vite emits the `.mjs` glue and the `.wasm` as assets and `wasmPaths` points at them.
 */
import type * as Ort from 'onnxruntime-web';
import wasmMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import wasmBin from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import gpuMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import gpuBin from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

export type OrtModule = typeof Ort;
export type Backend = 'wasm' | 'webgpu';

export interface BackendEnv {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** Threads the wasm backend will use (1 when the page is not cross-origin isolated). */
  wasmThreads: number;
  webgpu: { available: boolean; adapter: string | null; reason: string | null };
  ortVersion: string;
}

const loaded = new Map<Backend, Promise<OrtModule>>();
let threadOverride: number | null = null;

/**
 * Fixes the wasm thread count of this worker before ort starts (ort reads it once, when its wasm
 * module initialises; a different count needs a different worker).
 */
export function setWasmThreads(n: number | null): void {
  if (loaded.size) throw new Error('onnxruntime-web is already running in this worker; its thread count is fixed.');
  threadOverride = n;
}

/** Threads for wasm: SharedArrayBuffer needs cross-origin isolation; default cap 4 (ort's own). */
export function wasmThreadCount(): number {
  if (!self.crossOriginIsolated) return 1;
  const cores = self.navigator.hardwareConcurrency || 1;
  return Math.max(1, threadOverride ?? Math.min(4, cores));
}

export function loadOrt(backend: Backend): Promise<OrtModule> {
  let p = loaded.get(backend);
  if (!p) {
    p = (backend === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm')).then((ort) => {
      // Same-origin URLs, resolved against the worker script so sub-path deployments work.
      const abs = (u: string) => new URL(u, self.location.href).href;
      ort.env.wasm.wasmPaths =
        backend === 'webgpu' ? { mjs: abs(gpuMjs), wasm: abs(gpuBin) } : { mjs: abs(wasmMjs), wasm: abs(wasmBin) };
      ort.env.wasm.numThreads = wasmThreadCount();
      ort.env.wasm.proxy = false;
      ort.env.logLevel = 'error';
      return ort as OrtModule;
    });
    p.catch(() => loaded.delete(backend));
    loaded.set(backend, p);
  }
  return p;
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
}

/** Whether WebGPU can run here, and the adapter's name when it can. */
export async function probeWebGpu(): Promise<BackendEnv['webgpu']> {
  const gpu = (self.navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { available: false, adapter: null, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, adapter: null, reason: 'WebGPU is present but no GPU adapter was offered' };
    const i = adapter.info ?? {};
    const name = [i.vendor, i.architecture, i.description || i.device].filter((s) => s && s.length).join(' ');
    const software = i.isFallbackAdapter ? ' (software fallback: slow, do not time it)' : '';
    return { available: true, adapter: (name || 'unnamed adapter') + software, reason: null };
  } catch (e) {
    return { available: false, adapter: null, reason: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
  }
}
