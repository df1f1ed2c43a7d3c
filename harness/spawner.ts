/**
 * Programs under test started by a small helper process (spawner-process.mjs), one per harness
 * thread: a fork from the harness's own process costs the kernel time of copying its page tables
 * (measured here: 13 ms of system time and 28 ms of wall per spawn at 530 MB, against 0.5 ms and
 * 2 ms at 50 MB), and an interop run starts thousands of programs from a process of ~700 MB.
 * A `Program` stands for the child: its pid once known, its output as streams, its stdin.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'spawner-process.mjs');

type FromHelper =
  | { op: 'spawned'; id: number; pid: number }
  | { op: 'out'; id: number; chunk: string }
  | { op: 'error'; id: number; message: string }
  | { op: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null };

/**
 * A program the helper started. Events: 'spawn' (its pid known), 'output' (a chunk of its stdout or
 * stderr, in the order they came), 'error' (it could not start), 'close' (code, signal).
 */
export class Program extends EventEmitter {
  pid?: number;
  readonly stdin: Writable | null;
  closed = false;

  constructor(
    helper: Helper,
    readonly id: number,
    withStdin: boolean,
  ) {
    super();
    this.stdin = withStdin
      ? new Writable({
          write: (chunk: Buffer | string, _encoding, done) => {
            helper.send({ op: 'write', id, data: String(chunk) });
            done();
          },
        })
      : null;
  }

  /** Resolves with the pid once the helper says it; undefined if the program never started. */
  started(): Promise<number | undefined> {
    if (this.pid !== undefined || this.closed) return Promise.resolve(this.pid);
    return new Promise((resolve) => {
      const done = () => resolve(this.pid);
      this.once('spawn', done);
      this.once('close', done);
    });
  }

  /** Calls `f` with the pid now, or once the helper says it (not at all if it never started). */
  withPid(f: (pid: number) => void): void {
    if (this.pid !== undefined) f(this.pid);
    else if (!this.closed) this.once('spawn', () => f(this.pid!));
  }
}

class Helper {
  private readonly programs = new Map<number, Program>();
  private next = 1;
  readonly child: ChildProcess;

  constructor() {
    this.child = fork(HELPER, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
    this.child.on('message', (m: FromHelper) => this.receive(m));
    // The helper going away (killed: it had no time to end them) ends every program it relayed.
    this.child.once('exit', () => {
      if (helper === this) helper = undefined;
      for (const program of this.programs.values()) {
        try {
          if (program.pid) process.kill(-program.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        this.closeProgram(program, null, 'SIGKILL');
      }
    });
    this.idle();
  }

  send(message: object): void {
    if (this.child.connected) this.child.send(message);
  }

  spawn(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, withStdin: boolean): Program {
    const program = new Program(this, this.next++, withStdin);
    this.programs.set(program.id, program);
    // While a program runs, its messages keep this thread alive; with none, the helper does not.
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    this.send({ op: 'spawn', id: program.id, file, args, cwd, env, stdin: withStdin });
    return program;
  }

  private receive(m: FromHelper): void {
    const program = this.programs.get(m.id);
    if (!program) return;
    if (m.op === 'spawned') {
      program.pid = m.pid;
      program.emit('spawn');
    } else if (m.op === 'out') program.emit('output', m.chunk);
    else if (m.op === 'error') program.emit('error', new Error(m.message));
    else this.closeProgram(program, m.code, m.signal);
  }

  private closeProgram(program: Program, code: number | null, signal: NodeJS.Signals | null): void {
    if (program.closed) return;
    program.closed = true;
    this.programs.delete(program.id);
    program.emit('close', code, signal);
    if (!this.programs.size) this.idle();
  }

  private idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }
}

let helper: Helper | undefined;

/** Starts `file` through this thread's helper (started on first use). */
export function spawnProgram(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdin: boolean },
): Program {
  helper ??= new Helper();
  return helper.spawn(file, args, options.cwd, options.env, options.stdin);
}
