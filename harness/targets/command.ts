/**
 * The `command` shim: any program as a server or client role. The material is written to a
 * fresh folder (keys 0600) that is also the program's working directory, under the document's
 * file names unless the role maps others; placeholders in the argv are filled in; the output is
 * kept as evidence. A server is started once per spec file and restarted when it exits between
 * probes (the document's server.py serves one connection and exits).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { foreignListener, hasEnded, hasProcNet, isListening, strayDescendants } from '../proc-net.js';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandClientRole, CommandRole, CommandServerRole, RoleMaterial } from '../config/types.js';
import { writePem } from '../pki/write.js';
import { TargetError } from './target-error.js';
import { reaper } from '../reaper.js';
import { spawnProgram, type Program } from '../spawner.js';

export const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_TIMEOUT_MS = 10_000;
/** Only loopback: the suite never sends traffic anywhere else. */
export const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host);

// One registry per process: vitest evaluates this module once per project in a worker, and a
// worker that ends (or crashes) must not leave programs or key folders behind.
const REGISTRY = Symbol.for('mtls-conformance.command-registry');
const registry = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= (() => {
  const r = { running: new Set<Program>(), folders: new Set<string>() };
  process.once('exit', () => {
    for (const child of r.running) killGroup(child);
    for (const dir of r.folders) rmSync(dir, { recursive: true, force: true });
  });
  return r;
})()) as { running: Set<Program>; folders: Set<string> };
const { running, folders } = registry;

/**
 * Kills a program's process group, and its children that left the group (they would hold its
 * pipes); a program whose pid the helper has not said yet is killed as soon as it does.
 */
function killGroup(child: Program): void {
  child.withPid((pid) => {
    for (const target of [-pid, ...strayDescendants(pid)]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export interface RoleFiles {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  chain: string;
  crl: string;
}

export function writeRoleFiles(role: CommandRole, which: 'server' | 'client', material: RoleMaterial): RoleFiles {
  const dir = mkdtempSync(path.join(tmpdir(), `mtls-${which}-`));
  folders.add(dir);
  reaper.folder(dir);
  const names = {
    ca: 'ca_cert.pem',
    cert: `${which}_cert.pem`,
    key: `${which}_key.pem`,
    chain: `${which}_chain.pem`,
    crl: 'crl.pem',
    ...role.files,
  };
  const files = {
    dir,
    ca: path.join(dir, names.ca),
    cert: path.join(dir, names.cert),
    key: path.join(dir, names.key),
    chain: path.join(dir, names.chain),
    crl: path.join(dir, names.crl),
  };
  writePem(files.ca, material.ca, false);
  writePem(files.crl, material.crl.join(''), false);
  if (material.cert) {
    writePem(files.cert, material.cert, false);
    writePem(files.key, material.key, true);
    writePem(files.chain, material.chain, false);
  }
  return files;
}

export function removeRoleFiles(files: RoleFiles): void {
  rmSync(files.dir, { recursive: true, force: true });
  folders.delete(files.dir);
  reaper.folderRemoved(files.dir);
}

export function expand(argv: string[], vars: Record<string, string>): string[] {
  return argv.map((arg) =>
    arg.replace(/\{(dir|port|host|name|ca|cert|key|chain|crl)\}/g, (_, k: string) => vars[k] ?? `{${k}}`),
  );
}

/** Whether a client program takes the name to verify from the harness ({name}), apart from where it connects. */
export function takesName(role: CommandRole & { session?: boolean }): boolean {
  return role.session === true || role.command.some((arg) => arg.includes('{name}'));
}

/**
 * The name a client role verifies whatever the harness asks: a program's {host} when it does not take {name}; undefined
 * when it does, or for a node role.
 */
export function fixedNameOf(role: { kind: string; host?: string; command?: string[] }): string | undefined {
  return role.kind === 'command' && !takesName(role as CommandRole) ? (role.host ?? DEFAULT_HOST) : undefined;
}

export function hostOf(role: CommandRole, label: string): string {
  const host = role.host ?? DEFAULT_HOST;
  if (!isLoopback(host))
    throw new TargetError(
      `${label}: host '${host}' is not a loopback address; only 127.0.0.0/8, ::1 and localhost are allowed`,
    );
  return host;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Is anything listening on this TCP port? On Linux, read from /proc, so no connection is spent on
 * asking (the document's server.py serves one connection, then exits). Elsewhere (no /proc), a
 * connection attempt answers, and a one-connection program spends its connection on it.
 */
export async function listens(port: number, host: string): Promise<boolean> {
  if (hasProcNet()) return isListening(port);
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A fixed port the harness's own tap listened on a moment ago may still be listening: a program
 * this process spawned meanwhile holds a copy of every open descriptor between its fork and its
 * exec (seen here: the tutorial's 8443 still listening after the tap closed, in a forked child).
 * Waits, bounded, until nothing listens; a program that still cannot bind says so itself.
 */
async function portReleased(port: number, waitMs = 5000): Promise<void> {
  const until = performance.now() + waitMs;
  while (hasProcNet() && isListening(port) && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
}

function describeCommand(argv: string[]): string {
  return argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** A program's own words for why it stopped, most telling first: a bind that failed, an option it refused. */
const SPECIFIC_ERROR = new RegExp(
  [
    'address already in use',
    'EADDRINUSE',
    'unknown option',
    'unrecognized option',
    'invalid option',
    'bad option',
    'no such file',
    'permission denied',
    'not found',
  ].join('|'),
  'i',
);
const PORT_RACE_TRIES = 3;
// A bind that failed on an address in use, as programs print it (strerror(EADDRINUSE), Node's code).
const ADDRESS_IN_USE = /[^\n]*(?:address already in use|EADDRINUSE)[^\n]*/i;
const ANY_ERROR = /\berror\b|fatal|cannot|can't|could not|unable to|failed|usage:/i;

/** The line of a program's output that says why it stopped, if one does: quoted first in a root cause. */
export function errorLineOf(output: string | undefined): string | undefined {
  const lines = (output ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.find((l) => SPECIFIC_ERROR.test(l)) ?? lines.find((l) => ANY_ERROR.test(l)))?.slice(0, 300);
}

/** "its error: …; " when the output has an error line, for the start of a reason. */
export function errorFirst(output: string | undefined): string {
  const line = errorLineOf(output);
  return line ? `its error: ${JSON.stringify(line)}; ` : '';
}

interface Started {
  child: Program;
  exited: Promise<number | string>;
  exitedWith?: number | string;
}

/**
 * `stdin: 'open'`: a pipe the harness never writes to nor closes, as a terminal is to a server
 * started in it (`openssl s_server` quits when its standard input ends). Clients get an empty one.
 */
function startProgram(
  argv: string[],
  cwd: string,
  env: Record<string, string> | undefined,
  onOutput: (chunk: string) => void,
  stdin: 'open' | 'empty' | 'requests',
): Started {
  const [file, ...args] = argv;
  // PYTHONUNBUFFERED: a Python program's prints reach us as they happen, not at exit.
  const child = spawnProgram(file!, args, {
    cwd,
    env: { ...process.env, PYTHONUNBUFFERED: '1', ...env },
    stdin: stdin !== 'empty',
  });
  running.add(child);
  child.withPid((pid) => reaper.program(pid));
  const started: Started = { child, exited: Promise.resolve(0) };
  child.on('output', onOutput);
  started.exited = new Promise((resolve) => {
    child.once('error', (err: Error) => {
      started.exitedWith = `failed to start: ${err.message}`;
      resolve(started.exitedWith);
    });
    child.once('close', (code: number | null, signal: string | null) => {
      running.delete(child);
      if (child.pid) reaper.programEnded(child.pid);
      started.exitedWith ??= code ?? `killed by ${signal}`;
      resolve(started.exitedWith);
    });
  });
  return started;
}

/** Kills a program still running (its whole group), waits for its exit, removes its files. */
async function endProgram(proc: Started | undefined, files: RoleFiles | undefined): Promise<void> {
  if (proc && proc.exitedWith === undefined) {
    killGroup(proc.child);
    await proc.exited;
  }
  if (files) removeRoleFiles(files);
}

export class CommandServer {
  private files?: RoleFiles;
  private proc?: Started;
  private port?: number;
  output = '';
  starts = 0;
  /** Ports the harness picked that another process held when the program started (each a new start). */
  portRaces = 0;
  /** Learnt on the first attempt: does the program exit after serving one connection? */
  oneShot?: boolean;
  /** Whether its output has shown a probe's sentinel: then worth waiting for on every probe. */
  showsSentinel = false;
  /** A start that failed fails every later attempt of this spec file at once, the same way. */
  private startFailure?: TargetError;
  /** This start's exits saying their address was in use (one is taken for a port race). */
  private inUseExits = 0;

  /** `name`: the name clients reach the server by, given to its command as {name} (its host when it has none). */
  constructor(
    readonly label: string,
    readonly role: CommandServerRole,
    private readonly material: RoleMaterial,
    private readonly name?: string,
  ) {}

  get host(): string {
    return hostOf(this.role, this.label);
  }

  /** Starts the program unless it is running; resolves once its port listens. */
  async ready(): Promise<{ host: string; port: number }> {
    if (this.startFailure) throw this.startFailure;
    try {
      return await this.start();
    } catch (err) {
      this.startFailure =
        err instanceof TargetError ? err : new TargetError(`${this.label}: ${(err as Error).message}`);
      throw this.startFailure;
    }
  }

  private async start(): Promise<{ host: string; port: number }> {
    // A program the kernel has as ended, though its exit event has not arrived, is not running.
    if (this.proc && this.proc.exitedWith === undefined) {
      if (!(this.proc.child.pid !== undefined && hasEnded(this.proc.child.pid)))
        return { host: this.host, port: this.port! };
      await this.waitForExit(AbortSignal.abort());
    }
    // Each start on a port picked for it: the last one's, free since its program ended, may have
    // been taken meanwhile (seen beside another run: Caddy, started again in an area, "bind: address
    // already in use"). An address-in-use exit is taken for a race once per start, not per server.
    if (this.role.port === undefined && this.starts > 0) this.port = undefined;
    this.inUseExits = 0;
    for (let attempt = 1; ; attempt++) {
      const started = await this.startOnce();
      if (typeof started !== 'string') return started;
      // The port was free when the harness looked and another process took it before the program
      // could bind it (a connection's local port, another run's server): another port, not a failed
      // target. A program that binds IPv4 and IPv6 apart (gnutls-serv) may even serve on one of them.
      this.portRaces++;
      await endProgram(this.proc, undefined);
      this.port = undefined;
      if (attempt === PORT_RACE_TRIES)
        throw new TargetError(
          `${this.label}: ${PORT_RACE_TRIES} ports the harness picked were taken by another process before the ` +
            `program could bind them (last: ${started})`,
        );
    }
  }

  /** One start; the holder described when another process holds the port the harness picked. */
  private async startOnce(): Promise<{ host: string; port: number } | string> {
    // Every start in a folder of its own: a start ended half-way (a port race) leaves what it had
    // made, which the next would trip on (seen in CI: a data folder PostgreSQL's start script was
    // still copying, root's and 0700, so the next start's postgres could not read its config).
    if (this.files) removeRoleFiles(this.files);
    this.files = writeRoleFiles(this.role, 'server', this.material);
    this.port ??= this.role.port ?? (await freePort());
    if (this.role.port !== undefined) await portReleased(this.port);
    const argv = expand(this.role.command, {
      ...this.files,
      port: String(this.port),
      host: this.host,
      name: this.name ?? this.host,
    });
    this.starts++;
    const outputFrom = this.output.length;
    const proc = startProgram(
      argv,
      this.files.dir,
      this.role.env,
      (chunk) => {
        this.output += chunk;
      },
      'open',
    );
    this.proc = proc;
    const timeoutMs = this.role.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = performance.now() + timeoutMs;
    // Readiness is a property of the kernel's socket table: poll it, bounded, while the program lives.
    // A service that listens before it serves (PostgreSQL refuses with 57P03 while it starts) says
    // when it serves in its output: `readyWhen`.
    const { readyWhen } = this.role;
    // The pid comes from the helper a moment after the start: the listener's holder is asked about
    // it, so not before (seen beside another run: a port taken that early read as the program's).
    await proc.child.started();
    // On a port the harness picked, the first listener seen is asked whose it is (once: ~ms): one
    // held outside the program's process group means the port was taken before the program bound it.
    let holderAsked = this.role.port !== undefined;
    let foreign: string | undefined;
    const serving = async () => {
      if (!(await listens(this.port!, this.host))) return false;
      if (!holderAsked) {
        holderAsked = true;
        foreign = proc.child.pid === undefined ? undefined : foreignListener(this.port!, proc.child.pid);
        if (foreign) return true;
      }
      return !readyWhen || this.output.indexOf(readyWhen, outputFrom) >= 0;
    };
    while (!(await serving())) {
      if (proc.exitedWith !== undefined) {
        // Exited because the port the harness picked was taken: by a socket that is no listener (a
        // connection's local port, seen as PostgreSQL's "could not bind … Address already in use"),
        // or by a listener gone again before the harness looked. Its own words say so (EADDRINUSE's
        // text in C, Python, Go, Java and Node alike): once, another port. Twice is not a race on
        // two random picks but an address of the program's own in use: the target's failure.
        const inUse = this.role.port === undefined ? ADDRESS_IN_USE.exec(this.output.slice(outputFrom)) : null;
        if (inUse && this.inUseExits++ === 0)
          return `port ${this.port} in use by another socket (the program said: ${JSON.stringify(inUse[0])})`;
        throw new TargetError(
          `${this.label}: \`${describeCommand(argv)}\` exited (${proc.exitedWith}) before listening on port ` +
            `${this.port}; ${errorFirst(this.output.slice(outputFrom))}last output:\n` +
            `${tail(this.output.slice(outputFrom)) || '(none)'}`,
        );
      }
      if (performance.now() > deadline) {
        await this.stop();
        throw new TargetError(
          `${this.label}: \`${describeCommand(argv)}\` did not listen on port ${this.port}` +
            `${readyWhen ? ` and print ${JSON.stringify(readyWhen)}` : ''} within ${timeoutMs} ms; ` +
            `last output:\n${tail(this.output) || '(none)'}`,
        );
      }
      // Soon at first (most programs listen within 100 ms), then less often: a negative answer
      // reads the whole socket table (proc-net.ts), which a slow starter would pay for many times.
      const waited = timeoutMs - (deadline - performance.now());
      await new Promise((r) => setTimeout(r, waited < 200 ? 10 : waited < 2000 ? 25 : 50));
    }
    if (foreign) return `port ${this.port} held by ${foreign}`;
    return { host: this.host, port: this.port };
  }

  /** Resolves when `text` shows up in the output after `from`, the program exits, or `signal` fires. */
  waitForOutput(from: number, text: string, signal: AbortSignal): Promise<void> {
    const proc = this.proc;
    if (!proc || this.output.indexOf(text, from) >= 0 || proc.exitedWith !== undefined || signal.aborted)
      return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.output.indexOf(text, from) >= 0) finish();
      };
      const finish = () => {
        proc.child.off('output', check);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      proc.child.on('output', check);
      signal.addEventListener('abort', finish, { once: true });
      void proc.exited.then(finish);
    });
  }

  exitStatus(): number | string | undefined {
    return this.proc?.exitedWith;
  }

  /**
   * Resolves when the program has exited or `signal` fires; true if it exited. A program the kernel
   * already has as ended is waited for past `signal` (its exit event is on its way), at most 5 s.
   */
  async waitForExit(signal: AbortSignal): Promise<boolean> {
    const proc = this.proc;
    if (!proc) return true;
    const pid = proc.child.pid;
    const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    while (proc.exitedWith === undefined) {
      if (pid !== undefined && hasEnded(pid)) {
        await Promise.race([proc.exited, pause(5000)]);
        break;
      }
      if (signal.aborted) break;
      await Promise.race([proc.exited, pause(20)]);
    }
    return proc.exitedWith !== undefined;
  }

  async stop(): Promise<void> {
    await endProgram(this.proc, this.files);
    this.files = undefined;
    this.proc = undefined;
  }
}

export interface CommandClientResult {
  output: string;
  exit: number | string;
  timedOut: boolean;
}

/** Runs the client program once against host:port; resolves when it exits or the deadline passes. */
export async function runCommandClient(
  label: string,
  role: CommandRole,
  material: RoleMaterial,
  port: number,
  name: string,
  signal: AbortSignal,
  log: (e: string) => void,
): Promise<CommandClientResult> {
  const host = hostOf(role, label);
  const files = writeRoleFiles(role, 'client', material);
  const argv = expand(role.command, { ...files, port: String(port), host, name });
  let output = '';
  try {
    const proc = startProgram(
      argv,
      files.dir,
      role.env,
      (chunk) => {
        output += chunk;
      },
      'empty',
    );
    const onAbort = () => killGroup(proc.child);
    signal.addEventListener('abort', onAbort, { once: true });
    const exit = await proc.exited;
    signal.removeEventListener('abort', onAbort);
    if (typeof exit === 'string' && exit.startsWith('failed to start')) {
      throw new TargetError(`${label}: \`${describeCommand(argv)}\` ${exit}`);
    }
    log(`client: program exited (${exit})`);
    return { output, exit, timedOut: signal.aborted };
  } finally {
    removeRoleFiles(files);
  }
}

/** The line a session client ends each connection's output with: its status for that connection. */
const SESSION_EXIT = /^mtls-conformance exit (-?\d+)[ \t]*\r?$/m;

/**
 * A `session` client: one program per configuration, each probe a line on its standard input. A
 * probe's deadline, or the program's exit, ends the program (its state is unknown): the next probe
 * starts another. Probes take turns (a spec file of programs runs one probe at a time anyway).
 */
export class CommandClientSession {
  private files?: RoleFiles;
  private proc?: Started;
  private output = '';
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    readonly label: string,
    readonly role: CommandClientRole,
    private readonly material: RoleMaterial,
  ) {}

  run(port: number, name: string, signal: AbortSignal, log: (e: string) => void): Promise<CommandClientResult> {
    const result = this.turn.then(() => this.dial(port, name, signal, log));
    this.turn = result.catch(() => undefined);
    return result;
  }

  private async dial(
    port: number,
    name: string,
    signal: AbortSignal,
    log: (e: string) => void,
  ): Promise<CommandClientResult> {
    const host = hostOf(this.role, this.label);
    if (!this.proc || this.proc.exitedWith !== undefined) {
      if (this.files) removeRoleFiles(this.files);
      this.files = writeRoleFiles(this.role, 'client', this.material);
      const argv = expand(this.role.command, { ...this.files });
      this.output = '';
      this.proc = startProgram(
        argv,
        this.files.dir,
        this.role.env,
        (chunk) => {
          this.output += chunk;
        },
        'requests',
      );
      log(`client: session program started (${describeCommand(argv)})`);
    } else this.output = '';
    const proc = this.proc;
    proc.child.stdin!.write(`${host} ${port} ${name}\n`);
    const ended = await new Promise<number | string>((resolve) => {
      const check = () => {
        const m = SESSION_EXIT.exec(this.output);
        if (m) done(Number(m[1]));
      };
      const onAbort = () => done('aborted');
      const done = (how: number | string) => {
        proc.child.off('output', check);
        signal.removeEventListener('abort', onAbort);
        resolve(how);
      };
      proc.child.on('output', check);
      signal.addEventListener('abort', onAbort, { once: true });
      void proc.exited.then((exit) => done(exit));
      check();
    });
    if (typeof ended === 'string' && ended.startsWith('failed to start')) {
      throw new TargetError(
        `${this.label}: \`${describeCommand(expand(this.role.command, { ...this.files! }))}\` ${ended}`,
      );
    }
    const marker = SESSION_EXIT.exec(this.output);
    const output = marker ? this.output.slice(0, marker.index) : this.output;
    if (typeof ended === 'number' && marker) {
      // What follows the line belongs to no connection yet (a session prints nothing between them).
      this.output = this.output.slice(marker.index + marker[0].length);
      log(`client: connection ended (status ${ended})`);
      return { output, exit: ended, timedOut: false };
    }
    // Deadline or exit: this program is done; the next probe starts another.
    if (proc.exitedWith === undefined) killGroup(proc.child);
    const exit = await proc.exited;
    log(`client: session program exited (${exit})`);
    return { output, exit, timedOut: signal.aborted };
  }

  async stop(): Promise<void> {
    await this.turn;
    await endProgram(this.proc, this.files);
    this.files = undefined;
    this.proc = undefined;
  }
}

// Session clients of this worker, by label and material; a spec file stops them at its end.
const sessions = new Map<string, CommandClientSession>();

export function clientSession(label: string, role: CommandClientRole, material: RoleMaterial): CommandClientSession {
  const key = JSON.stringify([label, role.command, material.ca, material.cert, material.crl]);
  let session = sessions.get(key);
  if (!session) sessions.set(key, (session = new CommandClientSession(label, role, material)));
  return session;
}

export async function stopClientSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(all.map((s) => s.stop()));
}
