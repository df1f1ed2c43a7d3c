/** The command kind's failure modes: each ends with the target, its command and its last output. */
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSuite } from './run-suite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-command-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = (name: string, server: object) => {
  const f = path.join(dir, `${name}.mjs`);
  writeFileSync(f, `export default { targets: { ${JSON.stringify(name)}: { server: ${JSON.stringify(server)} } } };`);
  return f;
};
const keyFolders = () => readdirSync(tmpdir()).filter((d) => d.startsWith('mtls-server-') || d.startsWith('mtls-client-'));

describe('command targets that cannot run', () => {
  it('a missing program: refused before any probe, naming target and command', async () => {
    const run = await runSuite({ MTLS_CONFIG: config('ghost', { kind: 'command', command: ['no-such-program-xyz', '{port}'] }) }, [], 30_000);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/target 'ghost' server: program 'no-such-program-xyz' not found on PATH \(command: no-such-program-xyz \{port\}\)/);
  });

  it('a program that exits at once: every check fails with its exit status and last output', async () => {
    const before = keyFolders();
    const run = await runSuite({ MTLS_CONFIG: config('quitter', { kind: 'command', command: ['sh', '-c', 'echo "cannot load certificate" >&2; exit 3'] }) }, [], 120_000);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/target quitter \(server\): `sh -c "echo \\"cannot load certificate\\" >&2; exit 3"` exited \(3\) before listening on port \d+; last output:\s+cannot load certificate/);
    expect(run.report!.results.every((r) => r.verdict === 'fail')).toBe(true);
    expect(keyFolders().filter((d) => !before.includes(d)), 'key folders left behind').toEqual([]);
  });

  it('a program that never listens: a bounded wait, then the same clear failure for every check', async () => {
    const run = await runSuite({ MTLS_CONFIG: config('sleeper', { kind: 'command', command: ['sleep', '60'], timeoutMs: 500 }) }, [], 120_000);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/target sleeper \(server\): `sleep 60` did not listen on port \d+ within 500 ms; last output:\s+\(none\)/);
  });
});
