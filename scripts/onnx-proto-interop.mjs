// Preloaded by `npm run bench` (`tsx --import ./scripts/onnx-proto-interop.mjs ...`). onnx-proto is
// CommonJS whose exports Node cannot list, so under plain Node ESM `import { onnx } from 'onnx-proto'`
// (src/lib/model/proto.ts, zipmap.ts) fails to link; bundlers and vitest give the named export. This
// hook resolves 'onnx-proto' to a tiny ES module that re-exports it by name.
import { register } from 'node:module';

const pkg = new URL('../package.json', import.meta.url).href;
const shim = `import { createRequire } from 'node:module';
const m = createRequire(${JSON.stringify(pkg)})('onnx-proto');
export const onnx = m.onnx;
export default m;`;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'onnx-proto' && !context.parentURL?.startsWith('data:')) {
    return { url: 'data:text/javascript,' + encodeURIComponent(${JSON.stringify(shim)}), format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hooks));
