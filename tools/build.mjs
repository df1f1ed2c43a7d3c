// `npm run build` (and `prepack`): the package's compiled files in dist/, from a clean folder.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// Plain JavaScript that tsc does not copy: the reaper and the spawner run as processes of their own.
copyFileSync('harness/reaper-process.mjs', 'dist/harness/reaper-process.mjs');
copyFileSync('harness/spawner-process.mjs', 'dist/harness/spawner-process.mjs');
chmodSync('dist/harness/cli/main.js', 0o755);
