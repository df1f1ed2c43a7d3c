/** Programs started through the spawner helper: never forked from the harness's own process, and never orphaned. */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hasEnded } from '../harness/proc-net.js';
import { spawnProgram, type Program } from '../harness/spawner.js';

const closed = (p: Program) =>
  new Promise<[number | null, string | null]>((resolve) => p.once('close', (code, signal) => resolve([code, signal])));
const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
const options = { cwd: tmpdir(), env: process.env, stdin: true };

describe('spawner', () => {
  it("a program's parent is the helper, not this process; its stdin, output in order and exit status", async () => {
    const program = spawnProgram(
      process.execPath,
      [
        '-e',
        "process.stdin.once('data', (d) => { console.log('got ' + d); console.error('ppid ' + process.ppid); " +
          'process.exit(7); })',
      ],
      options,
    );
    let output = '';
    program.on('output', (chunk: string) => (output += chunk));
    const done = closed(program);
    program.stdin!.write('hello\n');
    expect(await done).toEqual([7, null]);
    expect(output).toMatch(/^got hello\n\nppid (\d+)\n$/);
    const ppid = Number(/ppid (\d+)/.exec(output)![1]);
    expect(ppid).not.toBe(process.pid);
    // The helper is this process's child.
    expect(parentOf(ppid)).toBe(process.pid);
  });

  it('a program that cannot start: an error naming it, then close', async () => {
    const program = spawnProgram('no-such-program-xyz', [], { ...options, stdin: false });
    const error = new Promise<Error>((resolve) => program.once('error', resolve));
    const done = closed(program);
    expect((await error).message).toBe('spawn no-such-program-xyz ENOENT');
    await done;
  });

  it('the helper killed mid-run: its programs are killed, and each closes (no wait for ever)', async () => {
    const program = spawnProgram(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], options);
    const pid = await new Promise<number>((resolve) => program.withPid(resolve));
    const helper = parentOf(pid);
    const done = closed(program);
    process.kill(helper, 'SIGKILL');
    expect((await done)[1]).toBe('SIGKILL');
    for (let i = 0; i < 100 && !hasEnded(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(hasEnded(pid)).toBe(true);
    // The next program gets a new helper.
    const next = spawnProgram(process.execPath, ['-e', 'process.exit(0)'], options);
    expect(await closed(next)).toEqual([0, null]);
  });
});
