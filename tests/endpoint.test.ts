/**
 * A service the harness does not start: nginx started by this test, outside the harness, with the
 * material `npm run certs` wrote, tested as an `endpoint` with MTLS_PKI (the harness issues every
 * adversarial client certificate from that CA's key). Broken (`ssl_verify_client optional`), it
 * fails the right ids.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';
import { freePort } from '../harness/targets/command.js';
import { isListening } from '../harness/proc-net.js';
import { FAILING } from '../harness/verdicts.js';
import { runSuite } from './run-suite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-endpoint-test-'));
// PostgreSQL runs as its own user and reaches its data folder through this one.
chmodSync(dir, 0o711);
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** nginx as a team would run it: its own process, the PKI from `npm run certs` installed in its folder. */
async function nginx(verify: 'on' | 'optional'): Promise<{ pki: string; port: number }> {
  const pki = path.join(dir, verify);
  execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['harness/cli/certs.ts', pki], { cwd: REPO_ROOT });
  const port = await freePort();
  const log = openSync(path.join(pki, 'nginx.log'), 'w');
  const child = spawn('bash', [path.join(REPO_ROOT, 'interop/nginx/run.sh'), pki, String(port), verify], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  started.push(child);
  for (let i = 0; i < 400 && !isListening(port); i++) await new Promise((r) => setTimeout(r, 25));
  expect(isListening(port), 'nginx listens').toBe(true);
  return { pki, port };
}

const config = (port: number, protocol = 'http') => {
  const file = path.join(dir, `endpoint-${port}.mjs`);
  writeFileSync(
    file,
    `export default { targets: { compose: { server: { kind: 'endpoint', host: '127.0.0.1', port: ${port}, protocol: ` +
      `'${protocol}' } } } };\n`,
  );
  return file;
};

/** PostgreSQL as a team would run it, outside the harness, on the PKI from `npm run certs`. */
async function postgres(): Promise<{ pki: string; port: number; log: string }> {
  const pki = path.join(dir, 'postgres');
  execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['harness/cli/certs.ts', pki], { cwd: REPO_ROOT });
  const port = await freePort();
  const log = path.join(dir, 'postgres.log');
  const out = openSync(log, 'w');
  const child = spawn(path.join(REPO_ROOT, 'interop/postgres/server.sh'), [String(port)], {
    cwd: pki,
    detached: true,
    stdio: ['ignore', out, out],
  });
  started.push(child);
  for (let i = 0; i < 1200 && !readFileSync(log, 'utf8').includes('ready to accept connections'); i++)
    await new Promise((r) => setTimeout(r, 25));
  expect(readFileSync(log, 'utf8'), 'PostgreSQL is ready').toContain('ready to accept connections');
  return { pki, port, log };
}

describe('an endpoint: a service the harness does not start', () => {
  it('nginx with ssl_verify_client on passes every server check', async () => {
    const { pki, port } = await nginx('on');
    const run = await runSuite({ MTLS_CONFIG: config(port), MTLS_PKI: pki });
    expect(
      run.report!.rootCauses,
      `the good exchange; nginx said:\n${readFileSync(path.join(pki, 'nginx.log'), 'utf8').slice(-3000)}`,
    ).toEqual([]);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    const server = run.report!.results.filter((r) => r.role === 'server' && r.verdict !== 'n/a');
    expect(server.length).toBeGreaterThan(40);
    expect(server.filter((r) => FAILING.includes(r.verdict))).toEqual([]);
    // The good client certificate came from the installed CA; the server's own certificate is the installed one.
    expect(run.report!.results.find((r) => r.id === 'cauth.accept-good' && r.version === 'TLSv1.3')!.verdict).toBe(
      'pass',
    );
  }, 200_000);

  it('nginx with ssl_verify_client optional fails exactly cauth.reject-none, and its post-handshake twin', async () => {
    const { pki, port } = await nginx('optional');
    const run = await runSuite({ MTLS_CONFIG: config(port), MTLS_PKI: pki });
    expect(
      run.report!.rootCauses,
      `the good exchange; nginx said:\n${readFileSync(path.join(pki, 'nginx.log'), 'utf8').slice(-3000)}`,
    ).toEqual([]);
    expect(run.code).toBe(1);
    const failed = run
      .report!.results.filter((r) => FAILING.includes(r.verdict))
      .map((r) => `${r.id} ${r.version} ${r.verdict}`)
      .sort();
    // The post-handshake client, presenting none, is let in the same way.
    expect(failed).toEqual([
      'cauth.reject-none TLSv1.2 fail',
      'cauth.reject-none TLSv1.3 fail',
      'cauth.reject-none-post-handshake TLSv1.2 fail',
      'cauth.reject-none-post-handshake TLSv1.3 fail',
    ]);
  }, 200_000);

  it('PostgreSQL as an endpoint speaking postgres passes; its refusal of no certificate quoted', async () => {
    const { pki, port, log } = await postgres();
    const run = await runSuite({ MTLS_CONFIG: config(port, 'postgres'), MTLS_PKI: pki });
    expect(run.report!.rootCauses, `PostgreSQL said:\n${readFileSync(log, 'utf8').slice(-3000)}`).toEqual([]);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    const server = run.report!.results.filter((r) => r.role === 'server' && r.verdict !== 'n/a');
    expect(server.length).toBeGreaterThan(30);
    const none = run.report!.results.find((r) => r.id === 'cauth.reject-none' && r.version === 'TLSv1.3')!;
    expect(none.verdict).toBe('pass');
    expect(none.probes.map((p) => p.reason)).toEqual([
      'the server let the client in (AuthenticationOk)',
      'the server refused the client in its protocol: FATAL 28000 "connection requires a valid client certificate"',
    ]);
  }, 200_000);

  it('an endpoint without MTLS_PKI, or an MTLS_PKI folder without the CA key: one line, exit 2', async () => {
    const none = await runSuite({ MTLS_CONFIG: config(1) }, [], 60_000);
    expect(none.code).toBe(2);
    expect(none.output).toMatch(/target 'compose' server: an endpoint needs MTLS_PKI=<dir>, the PKI installed in it/);
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    const bad = await runSuite({ MTLS_CONFIG: config(1), MTLS_PKI: empty }, [], 60_000);
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(
      /^mtls-conformance: MTLS_PKI=.*empty-\w+: no ca_cert\.pem \(npm run certs -- <dir> writes the whole set\)$/m,
    );
  }, 120_000);
});
