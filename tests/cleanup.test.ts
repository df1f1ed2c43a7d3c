/**
 * Nothing is left behind however a run ends: a run interrupted mid-probe (SIGINT to its process
 * group, as Ctrl-C; SIGTERM, as a CI cancel; SIGHUP; SIGKILL, which no handler survives) leaves no target
 * program and no folder of key material. Decided from evidence (the program's pid, the run's
 * temp folder), waiting for each, boundedly, never on a timing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';

const root = mkdtempSync(path.join(tmpdir(), 'mtls-cleanup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A server program that accepts TCP and never speaks: the run's first probe waits on it (for a minute).
const config = path.join(root, 'hold.config.mjs');
writeFileSync(
  config,
  `export default { targets: { hold: { server: { kind: 'command', command: ['node', '-e',
  "require('fs').writeFileSync(process.env.PIDFILE, String(process.pid)); require('net').createServer(() => " +
    "{}).listen(Number(process.argv[1]), '127.0.0.1')", '{port}'] } } } };\n`,
);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, done: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function interrupted(
  how: 'SIGINT to the group' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL',
): Promise<{ tmp: string; program: number }> {
  const dir = mkdtempSync(path.join(root, 'run-'));
  const tmp = path.join(dir, 'tmp');
  const pidFile = path.join(dir, 'pid');
  mkdirSync(tmp);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('MTLS_')),
  );
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: 'ignore',
    env: {
      ...env,
      TMPDIR: tmp,
      PIDFILE: pidFile,
      MTLS_CONFIG: config,
      MTLS_PROBE_TIMEOUT_MS: '60000',
      MTLS_REPORTS_DIR: path.join(dir, 'reports'),
    },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Mid-probe: the target program is up and the harness's probe is waiting on it.
  await until('the target program to start', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0);
  const program = Number(readFileSync(pidFile, 'utf8'));
  expect(
    readdirSync(tmp).some((f) => f.startsWith('mtls-server-')),
    'the key material folder exists mid-probe',
  ).toBe(true);
  if (how === 'SIGINT to the group') process.kill(-child.pid!, 'SIGINT');
  else process.kill(child.pid!, how);
  await exited;
  return { tmp, program };
}

describe('an interrupted run leaves nothing behind', () => {
  for (const how of ['SIGINT to the group', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    it(`${how}: no target program and no key folder are left; the reaper removed its own registry`, async () => {
      const { tmp, program } = await interrupted(how);
      await until(`the target program ${program} to be gone`, () => !alive(program));
      await until(`${tmp} to be empty (left: ${readdirSync(tmp).join(', ')})`, () => readdirSync(tmp).length === 0);
    }, 120_000);
  }
});
