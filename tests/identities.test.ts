/**
 * Clients admitted by identity (tests/selftest/identities.config.ts): a server that admits exactly
 * one SPIFFE ID passes the authorization checks; one that checks only the CN, one that admits any
 * identity its CA signed, and one that matches the admitted string in any SAN type each fail the
 * checks they break, and nothing else.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAILING } from '../harness/verdicts.js';
import { runSuite, type SuiteRun } from './run-suite.js';

const EXPECTED: Record<string, string[]> = {
  'admits-one-spiffe-id': [],
  'checks-cn-only': ['authz.reject-admitted-as-other-san-type', 'authz.reject-admitted-in-cn-only'],
  'admits-any-identity': [
    'authz.reject-admitted-as-other-san-type',
    'authz.reject-admitted-in-cn-only',
    'authz.reject-other-identity',
  ],
  'matches-any-san-type': ['authz.reject-admitted-as-other-san-type'],
};

describe('clients admitted by identity', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/identities.config.ts') }, [], 300_000);
  }, 320_000);

  it('the run ends by itself and fails (it holds broken targets)', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
  });

  for (const [target, ids] of Object.entries(EXPECTED)) {
    it(`${target} fails exactly ${ids.join(', ') || 'nothing'}, on both versions`, () => {
      const rows = run.report!.results.filter((r) => r.target === target);
      for (const version of ['TLSv1.2', 'TLSv1.3']) {
        const failed = rows.filter((r) => r.version === version && FAILING.includes(r.verdict));
        expect(failed.map((r) => `${r.id} ${r.verdict}`).sort(), version).toEqual(ids.map((id) => `${id} fail`));
      }
      // The admitted identity is the good client certificate, and the application saw it.
      const admitted = rows.find((r) => r.id === 'authz.accept-admitted' && r.version === 'TLSv1.3')!;
      expect(admitted.verdict).toBe('pass');
      expect(admitted.probes[0]!.evidence.server.peer?.subjectaltname).toBe(
        'URI:spiffe://example.test/ns/prod/sa/orders',
      );
    });
  }

  it('the twins differ in the identity alone: another SAN, the admitted name in the CN only, another SAN type', () => {
    const rows = run.report!.results.filter((r) => r.target === 'admits-any-identity' && r.version === 'TLSv1.3');
    const peer = (id: string) =>
      rows.find((r) => r.id === id)!.probes.find((p) => p.kind === 'adversarial')!.evidence.server.peer!;
    expect(peer('authz.reject-other-identity').subjectaltname).toMatch(
      /^URI:spiffe:\/\/example\.test\/ns\/prod\/sa\/[a-z0-9-]+$/,
    );
    expect(peer('authz.reject-other-identity').subjectaltname).not.toContain('/orders');
    expect(peer('authz.reject-admitted-in-cn-only').subject.CN).toBe('spiffe://example.test/ns/prod/sa/orders');
    expect(peer('authz.reject-admitted-in-cn-only').subjectaltname).not.toContain('/orders');
    expect(peer('authz.reject-admitted-as-other-san-type').subjectaltname).toBe(
      'DNS:spiffe://example.test/ns/prod/sa/orders',
    );
  });
});
