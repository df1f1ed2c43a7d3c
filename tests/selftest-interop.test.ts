/**
 * The real peers, broken one way each (selftest/interop-mutants.config.ts), are caught by the
 * right property ids; checks a program cannot take part in are waived, never passed.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import { TLS_VERSIONS } from '../harness/tls.js';
import { runSuite, type SuiteRun } from './run-suite.js';

const ids = (prefix: string, except: string[] = []) => CATALOGUE.filter((p) => p.id.startsWith(prefix) && !except.includes(p.id)).map((p) => p.id);
const IP_DIALER_WAIVES = ['sauth.reject-dns-mismatch'];

const EXPECTED: Record<string, { fails: string[]; waived: string[] }> = {
  // Without -verify_return_error, every verification failure is only logged.
  'openssl-optional-verify': { fails: ids('cauth.', ['cauth.accept-good']), waived: [] },
  // CERT_NONE: nothing is verified, and getpeercert() shows no identity either.
  'python-cert-none': { fails: ids('sauth.', IP_DIALER_WAIVES), waived: IP_DIALER_WAIVES },
  'gnutls-insecure': { fails: ids('sauth.', ['sauth.accept-good', ...IP_DIALER_WAIVES]), waived: IP_DIALER_WAIVES },
  // optional_no_ca skips the chain, not the validity period nor the key purpose.
  'nginx-optional-no-ca': { fails: ['cauth.reject-none', 'cauth.reject-foreign-ca', 'cauth.reject-self-signed'], waived: [] },
};

describe('self-test: broken real peers are caught by the right property ids', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/interop-mutants.config.ts') }, [], 600_000);
  }, 620_000);

  it('the run fails, ends by itself, and reports every mutant', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.report?.targets).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [target, { fails, waived }] of Object.entries(EXPECTED)) {
    for (const version of TLS_VERSIONS) {
      it(`${target} on ${version} fails exactly ${fails.join(', ')}`, () => {
        const rows = run.report!.results.filter((r) => r.target === target && r.version === version);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((r) => r.verdict === 'fail' || r.verdict === 'inconclusive').map((r) => r.id).sort()).toEqual([...fails].sort());
        expect(rows.filter((r) => r.verdict === 'fail').length, 'failures are clear failures, not inconclusive').toBe(fails.length);
        expect(rows.filter((r) => r.verdict === 'waived').map((r) => r.id).sort()).toEqual([...waived].sort());
      });
    }
  }
});
