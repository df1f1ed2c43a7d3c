/**
 * A service the interop run starts leaves nothing behind once the harness ends it (SIGKILL to its
 * processes, as at every area's end): PostgreSQL's System V segment and the JVM's perf data file,
 * which no folder of the run's holds, among them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { issuePki, type Pki } from '../harness/pki/issue.js';
import { materialFor } from '../harness/pki/material.js';
import { CommandServer, type RoleFiles } from '../harness/targets/command.js';
import interopConfig from '../interop/mtls.interop.js';
import type { TargetConfig } from '../harness/config/types.js';

/** The machine's shared memory segments: id and creator pid. */
function segments(): Array<{ id: string; cpid: string }> {
  return execFileSync('ipcs', ['-m', '-p'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([id]) => id !== undefined && /^\d+$/.test(id))
    .map(([id, , cpid]) => ({ id: id!, cpid: cpid! }));
}

async function until(what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('services the interop run starts, ended by the harness', () => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await issuePki(4242, Date.now(), 'ecdsa-p256');
  });
  // The target's server as the interop run starts it (its command, readiness and timeout).
  const interopServer = (name: 'postgres' | 'java') => {
    const role: TargetConfig['server'] = interopConfig.targets[name].server;
    if (role?.kind !== 'command') throw new Error(`interop target ${name} has no command server`);
    return new CommandServer(`target ${name} (server)`, role, materialFor(pki, 'server'));
  };

  it('PostgreSQL: its System V segment goes with it, though killed (SIGKILL: no exit of its own)', async () => {
    const server = interopServer('postgres');
    let shmid: string | undefined;
    try {
      await server.ready();
      const files = Reflect.get(server, 'files') as RoleFiles;
      const pidFile = readFileSync(path.join(files.dir, 'pgdata/postmaster.pid'), 'utf8').split('\n');
      shmid = pidFile[6]!.trim().split(/\s+/)[1];
      expect(shmid, 'the segment postgres names in postmaster.pid').toMatch(/^\d+$/);
      const made = segments().find((s) => s.id === shmid);
      // Made by the postmaster (postmaster.pid's first line), not another process's segment of that id.
      expect(made?.cpid).toBe(pidFile[0]!.trim());
    } finally {
      await server.stop();
    }
    await until(`segment ${shmid} removed`, () => !segments().some((s) => s.id === shmid));
  }, 120_000);

  it("Java: the JVM's perf data file (hsperfdata) goes with it, though killed", async () => {
    const server = interopServer('java');
    let jvm: number | undefined;
    try {
      await server.ready();
      jvm = (Reflect.get(server, 'proc') as { child: { pid?: number } }).child.pid;
    } finally {
      await server.stop();
    }
    // The JVM is the script's process (exec); with perf data it makes /tmp/hsperfdata_<user>/<pid>
    // (whatever TMPDIR says).
    expect(jvm).toBeGreaterThan(0);
    expect(existsSync(path.join('/tmp', `hsperfdata_${userInfo().username}`, String(jvm)))).toBe(false);
  }, 120_000);
});
