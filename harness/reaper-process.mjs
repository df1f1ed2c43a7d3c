// The reaper: a small process started with each run (harness/reaper.ts) in a process group of
// its own. It holds the read end of a pipe from the run's main process; when that ends (the run
// exited, crashed, or was killed, even with SIGKILL), or its parent changes, it kills every
// process group the registry still lists and removes every folder it still lists, then itself.
// Signals aimed at the run (Ctrl-C to the terminal's group, a CI cancel) must not stop it first.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const registry = process.argv[2];
const parent = process.ppid;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

let reaped = false;
function reap() {
  if (reaped) return;
  reaped = true;
  let lines = [];
  try {
    lines = readFileSync(registry, 'utf8').split('\n');
  } catch {
    /* nothing was registered */
  }
  const live = new Map();
  for (const line of lines) {
    const m = line.match(/^([+-])(pgid|dir) (.+)$/);
    if (!m) continue;
    const key = `${m[2]} ${m[3]}`;
    if (m[1] === '+') live.set(key, m);
    else live.delete(key);
  }
  for (const [, , kind, value] of live.values()) {
    if (kind === 'pgid') {
      try {
        process.kill(-Number(value), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  for (const [, , kind, value] of live.values()) {
    if (kind === 'dir') rmSync(value, { recursive: true, force: true });
  }
  rmSync(path.dirname(registry), { recursive: true, force: true });
  process.exit(0);
}

process.stdin.on('data', () => {});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
// Should the pipe's end go unnoticed, a new parent (init, a subreaper) says the run is gone.
globalThis.setInterval(() => {
  if (process.ppid !== parent) reap();
}, 500);
