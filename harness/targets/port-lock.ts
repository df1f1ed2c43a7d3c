/**
 * A fixed port (the document's 8443) is one per machine. Spec files run in parallel; those whose
 * target's programs need the same fixed port take turns on it, and only with each other.
 *
 * The lock is a folder created with mkdir (atomic, and visible to every worker thread and to
 * another vitest run on the machine). It names its holder's pid: a holder that died without
 * releasing it (SIGKILL) leaves a stale lock that the next taker removes. The run's reaper removes
 * it too, however the run ends.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { reaper } from '../reaper.js';
import { ConfigError } from '../config/load.js';
import { hasProcNet, isListening, listenerOf } from '../proc-net.js';

/**
 * A fixed port is one per machine, so its lock is too: in the machine's temp folder, not a run's
 * own TMPDIR (each self-test run has its own), so that every run on the machine takes turns.
 */
const MACHINE_TMP = process.platform === 'win32' ? tmpdir() : '/tmp';
const lockDir = (port: number) => path.join(MACHINE_TMP, `mtls-conformance-port-${port}.lock`);
const held = new Map<number, object>();
const POLL_MS = 50;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryTake(port: number): boolean {
  const dir = lockDir(port);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let holder = NaN;
    try {
      holder = Number(readFileSync(path.join(dir, 'holder'), 'utf8').split(' ')[0]);
    } catch {
      /* being written or removed */
    }
    if (Number.isInteger(holder) && !alive(holder)) rmSync(dir, { recursive: true, force: true });
    return false;
  }
  writeFileSync(path.join(dir, 'holder'), `${process.pid} ${threadId}\n`);
  reaper.folder(dir);
  return true;
}

/**
 * Resolves once `owner` (a spec file's programs, a good exchange) holds every port in `ports`.
 * Re-entrant for the same owner. Ports are taken in order, so two owners never deadlock.
 */
export async function holdPorts(ports: number[], owner: object, signal?: AbortSignal): Promise<void> {
  for (const port of [...new Set(ports)].sort((a, b) => a - b)) {
    if (held.get(port) === owner) continue;
    while (held.has(port) || !tryTake(port)) {
      signal?.throwIfAborted();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    held.set(port, owner);
  }
}

/** How long a fixed port may stay held once its lock is ours: a program of an earlier holder on its way out. */
const RELEASE_WAIT_MS = 5000;

/**
 * Once the lock is ours, nothing of this suite's should listen on the port: whatever still does
 * after a short wait is another process (a forgotten development server, a stale TLS server). Its
 * connections would be the probes' (a server that accepts and never answers holds every probe to
 * its deadline), so the run ends at once, exit 2, naming the port and, where /proc shows it, the holder.
 */
export async function ensurePortsFree(ports: number[], target: string, file: string): Promise<void> {
  if (!hasProcNet()) return;
  for (const port of new Set(ports)) {
    const until = performance.now() + RELEASE_WAIT_MS;
    while (isListening(port) && performance.now() < until) await new Promise((r) => setTimeout(r, POLL_MS));
    if (!isListening(port)) continue;
    const holder = listenerOf(port);
    throw new ConfigError(
      `config ${file}: target '${target}': port ${port} is already in ` +
        `use${holder && holder !== 'no listener now' ? ` (${holder})` : ''}, by a process that is not this run's; ` +
        `stop it, or give the target another port`,
    );
  }
}

/** Gives back every port `owner` holds. */
export function releasePorts(owner: object): void {
  for (const [port, o] of held) {
    if (o !== owner) continue;
    held.delete(port);
    const dir = lockDir(port);
    rmSync(dir, { recursive: true, force: true });
    reaper.folderRemoved(dir);
  }
}

/** The fixed ports a target's programs use (a server's `port`, or a client's, which the harness's server takes). */
export function fixedPorts(config: {
  server?: { kind: string; port?: number };
  client?: { kind: string; port?: number };
}): number[] {
  return [config.server, config.client].flatMap((role) =>
    role?.kind === 'command' && role.port !== undefined ? [role.port] : [],
  );
}

/**
 * The order spec files are handed to workers: files of targets on a fixed port spread evenly
 * among the others, so that while one of them holds the port the other workers have other files
 * to run, rather than one waiting for the port with nothing else to do. Otherwise as given.
 */
export function spreadFixedPortFiles<T>(files: T[], onFixedPort: (file: T) => boolean): T[] {
  const fixed = files.filter(onFixedPort);
  const others = files.filter((f) => !onFixedPort(f));
  if (!fixed.length || !others.length) return files;
  const out: T[] = [];
  const every = (fixed.length + others.length) / fixed.length;
  for (let i = 0, o = 0; i < fixed.length; i++) {
    out.push(fixed[i]!);
    const upTo = Math.round((i + 1) * every) - (i + 1);
    while (o < upTo && o < others.length) out.push(others[o++]!);
    if (i === fixed.length - 1) out.push(...others.slice(o));
  }
  return out;
}
