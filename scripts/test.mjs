// `npm test`: every test, unit then real-browser. Unit tests run in Node against real onnxruntime-web
// and the committed sample models; browser tests build the app, serve it with `vite preview` and drive
// Debian's Chromium with playwright-core.
import { spawnSync } from 'node:child_process';

const steps = [
  ['unit tests', 'npx', ['vitest', 'run']],
  ['chromium', 'node', ['scripts/ensure-chromium.mjs']],
  ['build', 'npx', ['vite', 'build', '--logLevel', 'warn']],
  ['browser tests', 'npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts']],
];

for (const [name, cmd, args] of steps) {
  console.log(`\n[loupe] ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n[loupe] ${name} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}
console.log('\n[loupe] all tests passed.');
