/** `npm run certs -- <dir>`: the document's five files, keys 0600, a chain openssl accepts. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');

describe('certs CLI', () => {
  it('writes the document file set, replayable with MTLS_SEED', () => {
    const out = execFileSync(tsx, ['harness/cli/certs.ts', dir], { cwd: REPO_ROOT, env: { ...process.env, MTLS_SEED: '4242' }, encoding: 'utf8' });
    expect(out).toMatch(/^PKI seed 4242, rsa-2048; server 127\.0\.0\.1, client \S+/);
    expect(readdirSync(dir).sort()).toEqual(['ca_cert.pem', 'client_cert.pem', 'client_key.pem', 'server_cert.pem', 'server_key.pem']);
    for (const key of ['server_key.pem', 'client_key.pem']) expect(statSync(path.join(dir, key)).mode & 0o777, key).toBe(0o600);
    const verify = spawnSync('openssl', ['verify', '-CAfile', 'ca_cert.pem', 'server_cert.pem', 'client_cert.pem'], { cwd: dir, encoding: 'utf8' });
    expect(verify.stdout).toBe('server_cert.pem: OK\nclient_cert.pem: OK\n');
    const purpose = spawnSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', 'ca_cert.pem', 'client_cert.pem'], { cwd: dir, encoding: 'utf8' });
    expect(purpose.status, 'a client certificate is not a server certificate').not.toBe(0);
  });

  it('MTLS_KEY=ecdsa-p256 writes the same set with P-256 keys; an unknown key type is refused by name', () => {
    const ecDir = mkdtempSync(path.join(tmpdir(), 'mtls-certs-ec-'));
    try {
      const out = execFileSync(tsx, ['harness/cli/certs.ts', ecDir], { cwd: REPO_ROOT, env: { ...process.env, MTLS_SEED: '4242', MTLS_KEY: 'ecdsa-p256' }, encoding: 'utf8' });
      expect(out).toMatch(/^PKI seed 4242, ecdsa-p256;/);
      const verify = spawnSync('openssl', ['verify', '-CAfile', 'ca_cert.pem', 'server_cert.pem', 'client_cert.pem'], { cwd: ecDir, encoding: 'utf8' });
      expect(verify.stdout).toBe('server_cert.pem: OK\nclient_cert.pem: OK\n');
      const key = spawnSync('openssl', ['pkey', '-in', 'server_key.pem', '-noout', '-text'], { cwd: ecDir, encoding: 'utf8' });
      expect(key.stdout).toMatch(/ASN1 OID: prime256v1/);
    } finally {
      rmSync(ecDir, { recursive: true, force: true });
    }
    const bad = spawnSync(tsx, ['harness/cli/certs.ts', dir], { cwd: REPO_ROOT, env: { ...process.env, MTLS_KEY: 'dsa-512' }, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^certs: MTLS_KEY: unknown key type "dsa-512"; expected rsa-2048, ecdsa-p256/);
  });

  it('explains its usage when the folder is missing', () => {
    const run = spawnSync(tsx, ['harness/cli/certs.ts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: npm run certs -- <dir>/);
  });
});
