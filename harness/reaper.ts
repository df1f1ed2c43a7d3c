/**
 * Nothing is left behind, however a run ends. Every program the harness starts (its whole process
 * group) and every folder of key material is registered here; a reaper process started with the
 * run (reaper-process.mjs) removes whatever is still registered when the run's main process goes
 * away: a normal exit, an error, Ctrl-C, SIGTERM or SIGHUP, a worker crash, or SIGKILL (which no
 * handler inside the run could survive). vitest's workers are threads of the main process, so one
 * reaper per run sees them all; the registry file is named in MTLS_REAPER_REGISTRY for them.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENV = 'MTLS_REAPER_REGISTRY';
const REAPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reaper-process.mjs');

/** Starts this run's reaper unless one is registered already; returns the registry file. */
export function ensureReaper(): string {
  const known = process.env[ENV];
  if (known) return known;
  const dir = mkdtempSync(path.join(tmpdir(), 'mtls-run-'));
  const registry = path.join(dir, 'registry');
  appendFileSync(registry, '', { mode: 0o600 });
  const child = spawn(process.execPath, [REAPER, registry], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  // Neither the reaper nor its pipe keeps the run alive; the pipe's end is its signal.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  child.stdin.on('error', () => {});
  process.env[ENV] = registry;
  return registry;
}

function write(line: string): void {
  try {
    appendFileSync(ensureReaper(), `${line}\n`);
  } catch {
    /* the run is ending; the exit handler still cleans */
  }
}

export const reaper = {
  program(pid: number | undefined): void {
    if (pid) write(`+pgid ${pid}`);
  },
  programEnded(pid: number | undefined): void {
    if (pid) write(`-pgid ${pid}`);
  },
  folder(dir: string): void {
    write(`+dir ${dir}`);
  },
  folderRemoved(dir: string): void {
    write(`-dir ${dir}`);
  },
};
