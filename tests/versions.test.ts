/**
 * A target that refuses a TLS version outright has that version's properties waived, with the
 * refusal as the reason; a target that speaks neither version is not let off.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite, type SuiteRun } from './run-suite.js';

/** The downgrade check: n/a for a client whose protocol starts with TLS (raw, here). */
const DOWNGRADE = 'conf.reject-starttls-downgrade.client';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-versions-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (role: 'server' | 'client', extra: string) =>
  role === 'server'
    ? `{ kind: 'node', options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, rejectUnauthorized: ` +
      `true, ${extra} }) }`
    : `{ kind: 'node', options: ({ ca, cert, key }) => ({ ca, cert, key, ${extra} }) }`;

describe('TLS versions a target does not speak', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    const file = path.join(dir, 'versions.mjs');
    writeFileSync(
      file,
      `export default { targets: {
      'tls13-only': {
        server: ${node('server', "minVersion: 'TLSv1.3'")},
        client: ${node('client', "minVersion: 'TLSv1.3'")},
      },
      'tls12-only': {
        server: ${node('server', "maxVersion: 'TLSv1.2'")},
        client: ${node('client', "maxVersion: 'TLSv1.2'")},
      },
      'speaks-nothing': { server: ${node('server', "maxVersion: 'TLSv1.2', ciphers: 'NULL-SHA256'")} },
    } };`,
    );
    run = await runSuite({ MTLS_CONFIG: file });
  }, 130_000);

  it('a TLS 1.3-only target: every TLS 1.2 check n/a with the protocol_version evidence; TLS 1.3 holds', () => {
    // None of these targets declares `admits`: their authorization checks are n/a for that, and left out here.
    const rows = run.report!.results.filter((r) => r.target === 'tls13-only' && r.area !== 'authorization');
    const tls12 = rows.filter((r) => r.version === 'TLSv1.2');
    expect(tls12.length).toBeGreaterThan(50);
    for (const r of tls12) {
      expect(r.verdict, r.id).toBe('n/a');
      expect(r.reason).toMatch(
        new RegExp(`^the target's ${r.role} does not speak TLSv1\\.2 \\(.*protocol_version.*\\) and accepts TLSv1\\.3`),
      );
    }
    // (A client that never resumes has the checks about resuming n/a, with that evidence.)
    // (Nor has a raw client, which starts with TLS, a request for TLS in clear to decline.)
    const holds = (r: (typeof rows)[number]) =>
      r.verdict === 'pass' ||
      (r.verdict === 'warning' && r.level === 'strict') ||
      (r.verdict === 'n/a' && (/only/.test(r.reason!) || r.area === 'resumption' || r.id === DOWNGRADE));
    expect(
      rows.filter((r) => r.version === 'TLSv1.3' && !holds(r)).map((r) => `${r.id}: ${r.verdict}: ${r.reason}`),
    ).toEqual([]);
  });

  it('a TLS 1.2-only target: the TLS 1.3 checks are n/a the same way', () => {
    const rows = run.report!.results.filter((r) => r.target === 'tls12-only' && r.area !== 'authorization');
    expect(
      rows
        .filter((r) => r.version === 'TLSv1.3')
        .every((r) => r.verdict === 'n/a' && /does not speak TLSv1\.3|checked under TLSv1\.2 only/.test(r.reason!)),
    ).toBe(true);
    expect(
      rows
        .filter(
          (r) =>
            r.version === 'TLSv1.2' &&
            !(
              r.verdict === 'pass' ||
              (r.verdict === 'warning' && r.level === 'strict') ||
              (r.verdict === 'n/a' && (r.area === 'resumption' || r.id === DOWNGRADE))
            ),
        )
        .map((r) => `${r.id}: ${r.verdict}: ${r.reason}`),
    ).toEqual([]);
  });

  it(
    'a target that speaks neither version is not let off: its checks are not run, the root cause is printed once, ' +
      'the run fails',
    () => {
      const rows = run.report!.results.filter(
        (r) =>
          r.target === 'speaks-nothing' &&
          r.role === 'server' &&
          !/only/.test(r.reason ?? '') &&
          r.area !== 'authorization',
      );
      expect(rows.length).toBeGreaterThan(40);
      for (const r of rows) {
        expect(r.verdict, r.id).toBe('not run');
        expect(r.reason).toMatch(/^the good exchange failed: rejected: /);
      }
      for (const version of ['TLSv1.2', 'TLSv1.3']) {
        expect(
          run.output.split(`ROOT CAUSE: target 'speaks-nothing' server, ${version}: the good exchange failed`).length -
            1,
          version,
        ).toBe(1);
      }
      expect(run.report!.rootCauses).toHaveLength(2);
      expect(run.code).toBe(1);
    },
  );
});
