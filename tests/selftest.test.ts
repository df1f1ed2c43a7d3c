/**
 * The suite must catch broken configurations: each mutant in selftest/mutants.config.ts fails
 * exactly the property ids it breaks, on the TLS versions it breaks them, and passes the rest.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import { TLS_VERSIONS } from '../harness/tls.js';
import { runSuite, type SuiteRun } from './run-suite.js';

const both = (ids: string[]) => Object.fromEntries(TLS_VERSIONS.map((v) => [v, ids]));
const ids = (prefix: string, except: string[] = []) => CATALOGUE.filter((p) => p.id.startsWith(prefix) && !except.includes(p.id)).map((p) => p.id);

const EXPECTED_FAILURES: Record<string, Record<string, string[]>> = {
  good: both([]),
  'server-no-request-cert': both(ids('cauth.')),
  'server-ignores-authorization': both(ids('cauth.', ['cauth.accept-good'])),
  'client-no-verify': both(ids('sauth.', ['sauth.accept-good'])),
  'client-any-identity': both(['sauth.reject-dns-mismatch', 'sauth.reject-dns-only-for-ip']),
  'null-cipher': {
    'TLSv1.2': ['conf.wire-encrypted.server', 'conf.wire-encrypted.client', 'conf.aead-fs.server', 'conf.aead-fs.client'],
    'TLSv1.3': [],
  },
};

describe('self-test: the specs catch deliberately broken configurations', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/mutants.config.ts') });
  }, 180_000);

  it('the run fails (mutants are broken), ends by itself, and reports every mutant', () => {
    expect(run.timedOut, 'the run had to be killed').toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.report?.targets).toEqual(Object.keys(EXPECTED_FAILURES).sort());
  });

  for (const [target, perVersion] of Object.entries(EXPECTED_FAILURES)) {
    for (const version of TLS_VERSIONS) {
      it(`${target} on ${version} fails exactly ${perVersion[version]!.length ? perVersion[version]!.join(', ') : 'nothing'}`, () => {
        const rows = run.report!.results.filter((r) => r.target === target && r.version === version);
        expect(rows.length, 'checks that ran').toBeGreaterThan(0);
        const failed = rows.filter((r) => r.verdict !== 'pass').map((r) => r.id).sort();
        expect(failed).toEqual([...perVersion[version]!].sort());
        // A failure is a clear failure with evidence, not an inconclusive probe.
        for (const r of rows.filter((row) => row.verdict !== 'pass')) {
          expect(r.verdict, `${r.id}: ${r.failure}`).toBe('fail');
          expect(r.probes.length).toBeGreaterThan(0);
        }
      });
    }
  }
});
