/** `npm run certs -- <dir>`: the document's five files and the CA key, keys 0600, a chain openssl accepts. */
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
    const out = execFileSync(tsx, ['harness/cli/certs.ts', dir], {
      cwd: REPO_ROOT,
      env: { ...process.env, MTLS_SEED: '4242' },
      encoding: 'utf8',
    });
    expect(out).toMatch(
      /^PKI seed 4242, rsa-2048; server 127\.0\.0\.1 \(IP:127\.0\.0\.1,DNS:localhost,IP:::1\), client \S+/,
    );
    expect(readdirSync(dir).sort()).toEqual([
      'ca_cert.pem',
      'ca_key.pem',
      'client_cert.pem',
      'client_key.pem',
      'server_cert.pem',
      'server_key.pem',
    ]);
    for (const key of ['server_key.pem', 'client_key.pem', 'ca_key.pem'])
      expect(statSync(path.join(dir, key)).mode & 0o777, key).toBe(0o600);
    // ca_key.pem is the key of ca_cert.pem.
    const same = spawnSync(
      'bash',
      ['-c', 'diff <(openssl x509 -in ca_cert.pem -noout -pubkey) <(openssl pkey -in ca_key.pem -pubout)'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(same.status, same.stdout).toBe(0);
    // MTLS_SEED replays the names: a second run (forced) names the same client.
    const again = execFileSync(tsx, ['harness/cli/certs.ts', '--force', dir], {
      cwd: REPO_ROOT,
      env: { ...process.env, MTLS_SEED: '4242' },
      encoding: 'utf8',
    });
    expect(again.split('\n')[0]).toBe(out.split('\n')[0]);
    const verify = spawnSync('openssl', ['verify', '-CAfile', 'ca_cert.pem', 'server_cert.pem', 'client_cert.pem'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(verify.stdout).toBe('server_cert.pem: OK\nclient_cert.pem: OK\n');
    const purpose = spawnSync(
      'openssl',
      ['verify', '-purpose', 'sslserver', '-CAfile', 'ca_cert.pem', 'client_cert.pem'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(purpose.status, 'a client certificate is not a server certificate').not.toBe(0);
  });

  it('MTLS_KEY=ecdsa-p256 writes the same set with P-256 keys; an unknown key type is refused by name', () => {
    const ecDir = mkdtempSync(path.join(tmpdir(), 'mtls-certs-ec-'));
    try {
      const out = execFileSync(tsx, ['harness/cli/certs.ts', ecDir], {
        cwd: REPO_ROOT,
        env: { ...process.env, MTLS_SEED: '4242', MTLS_KEY: 'ecdsa-p256' },
        encoding: 'utf8',
      });
      expect(statSync(path.join(ecDir, 'ca_key.pem')).mode & 0o777).toBe(0o600);
      expect(out).toMatch(/^PKI seed 4242, ecdsa-p256;/);
      const verify = spawnSync('openssl', ['verify', '-CAfile', 'ca_cert.pem', 'server_cert.pem', 'client_cert.pem'], {
        cwd: ecDir,
        encoding: 'utf8',
      });
      expect(verify.stdout).toBe('server_cert.pem: OK\nclient_cert.pem: OK\n');
      const key = spawnSync('openssl', ['pkey', '-in', 'server_key.pem', '-noout', '-text'], {
        cwd: ecDir,
        encoding: 'utf8',
      });
      expect(key.stdout).toMatch(/ASN1 OID: prime256v1/);
    } finally {
      rmSync(ecDir, { recursive: true, force: true });
    }
    const bad = spawnSync(tsx, ['harness/cli/certs.ts', dir], {
      cwd: REPO_ROOT,
      env: { ...process.env, MTLS_KEY: 'dsa-512' },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^certs: MTLS_KEY: unknown key type "dsa-512"; expected rsa-2048, ecdsa-p256/);
  });

  it('explains its usage when the folder is missing; --help prints it and exits 0', () => {
    const run = spawnSync(tsx, ['harness/cli/certs.ts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^certs: no folder given\nusage: npm run certs -- \[--force\] \[--san /);
    const help = spawnSync(tsx, ['harness/cli/certs.ts', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run certs -- /);
  });

  it('refuses to overwrite an existing set without --force, naming the file', () => {
    const run = spawnSync(tsx, ['harness/cli/certs.ts', dir], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^certs: .*ca_cert\.pem exists \(and \d+ more of the set\): add --force to overwrite\n$/,
    );
  });

  it("--san issues the server certificate for the user's own names; a bad one is named", () => {
    const sanDir = mkdtempSync(path.join(tmpdir(), 'mtls-certs-san-'));
    try {
      const out = execFileSync(tsx, ['harness/cli/certs.ts', '--san', 'DNS:api.internal,IP:10.0.0.5', sanDir], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(out).toMatch(/server api\.internal \(DNS:api\.internal,IP:10\.0\.0\.5\)/);
      const text = execFileSync(
        'openssl',
        ['x509', '-in', 'server_cert.pem', '-noout', '-ext', 'subjectAltName', '-subject'],
        { cwd: sanDir, encoding: 'utf8' },
      );
      expect(text).toMatch(/DNS:api\.internal, IP Address:10\.0\.0\.5/);
      expect(text).toMatch(/CN = api\.internal/);
      const verify = spawnSync(
        'openssl',
        ['verify', '-verify_hostname', 'api.internal', '-CAfile', 'ca_cert.pem', 'server_cert.pem'],
        { cwd: sanDir, encoding: 'utf8' },
      );
      expect(verify.stdout).toBe('server_cert.pem: OK\n');
    } finally {
      rmSync(sanDir, { recursive: true, force: true });
    }
    const bad = spawnSync(tsx, ['harness/cli/certs.ts', '--san', 'DNS:ok.internal,IP:999.1.1.1', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("certs: --san DNS:ok.internal,IP:999.1.1.1: '999.1.1.1' is not an IP address\n");
  });
});
