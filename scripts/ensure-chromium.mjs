// Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests. Installs it with apt-get
// when running as root; otherwise stops with the exact command to run. Never downloads a browser itself.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const BIN = process.env.LOUPE_CHROMIUM || '/usr/bin/chromium';
if (existsSync(BIN)) process.exit(0);

const cmd = 'apt-get update && apt-get install -y chromium';
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log(`[loupe] ${BIN} is missing; installing Debian's chromium: ${cmd}`);
  const r = spawnSync('bash', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status === 0 && existsSync(BIN)) process.exit(0);
  console.error(`[loupe] installing chromium failed (exit ${r.status}).`);
  process.exit(1);
}
console.error(`[loupe] The browser tests need Debian's Chromium at ${BIN}. Install it with:\n\n  sudo ${cmd}\n`);
process.exit(1);
