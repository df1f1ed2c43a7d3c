/**
 * The suite must catch broken configurations: each mutant in selftest/mutants.config.ts fails
 * exactly the property ids it breaks, on the TLS versions it breaks them, and passes the rest.
 * The run uses MTLS_PROFILE=strict, so strict properties fail like baseline ones.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import { TLS_VERSIONS } from '../harness/tls.js';
import { runSuite, type SuiteRun } from './run-suite.js';

const all = CATALOGUE.map((p) => p.id);
const matching = (pattern: RegExp) => all.filter((id) => pattern.test(id));
const both = (ids: string[]) => ({ 'TLSv1.2': ids, 'TLSv1.3': ids });
/** Failures on every version, plus some on TLS 1.2 only (its cipher suites and obsolete versions). */
const split = (always: string[], tls12: string[]) => ({ 'TLSv1.2': [...always, ...tls12], 'TLSv1.3': always });
const roles = (id: string) => [`${id}.server`, `${id}.client`];

const WEAK_CERTIFICATES = [...roles('crypto.reject-weak-rsa-key'), ...roles('crypto.reject-sha1-signature')];
const CHAIN_REJECTS = (role: string) => matching(new RegExp(`^chain\\.reject-.*\\.${role}$`));
const CA_ERRORS = (role: string) => [
  `chain.reject-issuer-without-basic-constraints.${role}`,
  `chain.reject-pathlen-exceeded.${role}`,
];
const HOST_NAMES = matching(/^host\./);
/** A role that verifies nothing accepts a revoked certificate and one no CRL can decide. */
const REVOCATION = (role: string) => matching(new RegExp(`^revoke\\..*\\.${role}$`));
const STRICT = CATALOGUE.filter((p) => p.level === 'strict');

const EXPECTED_FAILURES: Record<string, Record<string, string[]>> = {
  good: both([]),
  // Node's defaults hold every baseline property, and not these strict ones (3DES it cannot do).
  // (Its CertificateRequest names the run's CA only: cauth.strict-ca-list holds; it refuses SHA-1
  // certificates and a wildcard on a top-level domain, both strict since the level audit.)
  document: split(
    STRICT.filter(
      (p) =>
        !p.versions &&
        !['cauth.strict-ca-list', 'host.reject-wildcard-tld', ...roles('crypto.reject-sha1-signature')].includes(p.id),
    ).map((p) => p.id),
    [...roles('crypto.reject-cbc-suites'), ...roles('crypto.reject-static-rsa-suites')],
  ),
  'server-no-request-cert': both([
    ...matching(/^cauth\./).filter((id) => id !== 'cauth.strict-ca-list'),
    ...REVOCATION('server'),
    ...matching(/^chain\..*\.server$/),
    'crypto.reject-weak-rsa-key.server',
    'crypto.reject-sha1-signature.server',
  ]),
  'server-ignores-authorization': both([
    ...matching(/^cauth\.reject-/),
    ...REVOCATION('server'),
    ...CHAIN_REJECTS('server'),
    'crypto.reject-weak-rsa-key.server',
    'crypto.reject-sha1-signature.server',
  ]),
  // Its CertificateRequest names the intermediate too: client trust wider than the run's CA.
  // Its trusted copy of the intermediate stands in for the revoked twin the client sends.
  'server-trusts-intermediate': both([
    ...CHAIN_REJECTS('server'),
    'revoke.strict-reject-revoked-intermediate.server',
    'cauth.strict-ca-list',
  ]),
  // Trusting public CAs for clients shows only in the CA names it asks for (no public CA issues
  // the run's certificates): in clear on TLS 1.2, in the flight the key log reads on TLS 1.3.
  'server-trusts-public-cas': both(['cauth.strict-ca-list']),
  'server-shares-ticket-keys': both(['resume.server-reject-after-ca-change']),
  'server-tolerates-ca-errors': both(CA_ERRORS('server')),
  'client-no-verify': both([
    ...matching(/^sauth\.reject-/),
    ...REVOCATION('client'),
    ...CHAIN_REJECTS('client'),
    'chain.strict-reject-ca-leaf.client',
    ...HOST_NAMES,
    'crypto.reject-weak-rsa-key.client',
    'crypto.reject-sha1-signature.client',
  ]),
  // It accepts the other name of the resumption check in a full handshake too: the host-name
  // checks' finding, not a resumption (that cell is n/a, naming the owner).
  'client-any-identity': both([
    'sauth.reject-dns-mismatch',
    'sauth.reject-dns-only-for-ip',
    ...HOST_NAMES.filter((id) => id !== 'host.strict-reject-cn-only'),
  ]),
  // CN fallback also lets 127.0.0.1 through on a certificate whose CN is 127.0.0.1 and whose SANs lack the IP.
  'client-lenient-names': both([
    'sauth.reject-dns-only-for-ip',
    ...HOST_NAMES.filter((id) => id !== 'host.reject-dns-only-for-ipv6'),
  ]),
  'client-reuses-sessions': both(['resume.client-reject-other-name', 'resume.client-reject-after-ca-change']),
  'client-trusts-intermediate': both([...CHAIN_REJECTS('client'), 'revoke.strict-reject-revoked-intermediate.client']),
  'client-tolerates-ca-errors': both(CA_ERRORS('client')),
  // NULL needs security level 0, which lets weak certificates through. The other suite checks'
  // controls offer NULL too (every suite but the family under test), so only NULL's own check fails.
  'null-cipher': split(WEAK_CERTIFICATES, [
    'conf.wire-encrypted.server',
    'conf.wire-encrypted.client',
    'conf.aead-fs.server',
    'conf.aead-fs.client',
    ...roles('crypto.reject-null-suites'),
  ]),
  'seclevel-0': both(WEAK_CERTIFICATES),
  'allows-tls1.0': split(WEAK_CERTIFICATES, [
    ...roles('crypto.reject-tls1.0'),
    ...roles('crypto.reject-tls1.1'),
    ...roles('crypto.reject-cbc-suites'),
  ]),
  'allows-tls1.1': split(WEAK_CERTIFICATES, [...roles('crypto.reject-tls1.1'), ...roles('crypto.reject-cbc-suites')]),
  'allows-null': split(WEAK_CERTIFICATES, roles('crypto.reject-null-suites')),
  'allows-cbc': split([], roles('crypto.reject-cbc-suites')),
  'allows-static-rsa': split([], roles('crypto.reject-static-rsa-suites')),
};

describe('self-test: the specs catch deliberately broken configurations', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runSuite(
      { MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/mutants.config.ts'), MTLS_PROFILE: 'strict' },
      [],
      300_000,
    );
  }, 320_000);

  it('the run fails (mutants are broken), ends by itself, and reports every mutant', () => {
    expect(run.timedOut, 'the run had to be killed').toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.report?.targets).toEqual(Object.keys(EXPECTED_FAILURES).sort());
  });

  it(
    "no probe of any mutant resumed another probe's session outside the checks about resumption " +
      '(tests/resumption.test.ts shows the detector)',
    () => {
      const probes = run.report!.results.flatMap((r) => r.probes);
      expect(probes.length).toBeGreaterThan(1000);
      expect(
        probes.filter((p) => p.evidence.resumed !== false && !p.evidence.resumptionAllowed).map((p) => p.label),
      ).toEqual([]);
      // The session-reusing client resumed where the checks allow it (the detector saw it), or, where
      // OpenSSL's server declined a TLS 1.2 session whose SNI changed, offered it (the finding then).
      for (const version of TLS_VERSIONS) {
        for (const id of ['resume.client-reject-other-name', 'resume.client-reject-after-ca-change']) {
          const cell = run.report!.results.find(
            (r) => r.target === 'client-reuses-sessions' && r.id === id && r.version === version,
          )!;
          expect(
            cell.probes.some((p) => p.evidence.resumed && p.evidence.resumptionAllowed) ||
              /offers a session/.test(cell.reason ?? ''),
            `${id} ${version}: ${cell.reason}`,
          ).toBe(true);
        }
      }
    },
  );

  it(
    "a full-handshake acceptance is the certificate check's finding, not a resumption's: those cells are n/a " +
      'naming the owner',
    () => {
      const cell = (target: string, id: string, version: string) =>
        run.report!.results.find((r) => r.target === target && r.id === id && r.version === version)!;
      const owners: Array<[target: string, id: string, owner: string]> = [
        ['server-no-request-cert', 'resume.server-reject-after-ca-change', 'cauth.reject-foreign-ca'],
        ['server-ignores-authorization', 'resume.server-reject-after-ca-change', 'cauth.reject-foreign-ca'],
        ['server-ignores-authorization', 'resume.server-reject-unauthenticated-session', 'cauth.reject-none'],
        ['client-no-verify', 'resume.client-reject-other-name', 'sauth.reject-dns-mismatch'],
        ['client-any-identity', 'resume.client-reject-other-name', 'sauth.reject-dns-mismatch'],
        ['client-no-verify', 'resume.client-reject-after-ca-change', 'sauth.reject-foreign-ca'],
      ];
      for (const version of TLS_VERSIONS) {
        for (const [target, id, owner] of owners) {
          const c = cell(target, id, version);
          // n/a: let in by a full handshake; or n/a because it never resumed at all (its control), never fail.
          expect(c.verdict, `${target} ${id} ${version}: ${c.reason}`).toBe('n/a');
          if (/full handshake, no session resumed/.test(c.reason ?? '')) expect(c.reason).toContain(owner);
        }
      }
      // At least one of them is n/a for that very reason (not only for never resuming).
      expect(
        owners.some(([target, id, owner]) =>
          TLS_VERSIONS.some((v) => (cell(target, id, v).reason ?? '').includes(`a finding of ${owner}`)),
        ),
      ).toBe(true);
    },
  );

  it(
    "each server's client-authentication mode is judged by what it did: required, optional (asks, lets in), none " +
      '(never asks)',
    () => {
      const mode = (target: string, version: string) =>
        run.report!.clientAuthModes!.find((m) => m.target === target && m.version === version);
      for (const version of TLS_VERSIONS) expect(mode('good', version)?.mode).toBe('required');
      expect(mode('good', 'TLSv1.2')?.caNames).toHaveLength(1);
      expect(mode('server-ignores-authorization', 'TLSv1.2')?.mode).toBe('optional');
      // TLS 1.3 encrypts the CertificateRequest; the reference client's key log reads it.
      expect(mode('server-ignores-authorization', 'TLSv1.3')).toMatchObject({
        mode: 'optional',
        evidence: expect.stringMatching(/read with the key log/) as string,
      });
      expect(mode('server-no-request-cert', 'TLSv1.2')?.mode).toBe('none');
      expect(mode('server-no-request-cert', 'TLSv1.3')).toMatchObject({
        mode: 'none',
        evidence: expect.stringMatching(/^no CertificateRequest in its handshake flight/) as string,
      });
      expect(mode('good', 'TLSv1.3')?.caNames).toHaveLength(1);
      for (const version of TLS_VERSIONS)
        expect(mode('server-trusts-public-cas', version)?.caNames!.length).toBeGreaterThan(100);
      expect(
        run.report!.clientAuthModes!.some((m) => m.target === 'client-no-verify'),
        'a target without a server has no mode',
      ).toBe(false);
    },
  );

  it("whether each target resumes sessions, and how, is reported from the resumption checks' controls", () => {
    const of = (target: string, role: string, version: string) =>
      run.report!.sessions!.find((s) => s.target === target && s.role === role && s.version === version);
    // Node's server issues tickets on both versions; Node's client offers a session only when its application keeps
    // one.
    expect(of('good', 'server', 'TLSv1.2')).toMatchObject({ resumes: 'yes', how: 'session ticket' });
    expect(of('good', 'server', 'TLSv1.3')).toMatchObject({ resumes: 'yes', how: 'TLS 1.3 PSK (ticket)' });
    for (const version of TLS_VERSIONS) {
      expect(of('good', 'client', version)).toMatchObject({ resumes: 'no', how: 'offered none' });
      expect(of('client-reuses-sessions', 'client', version)?.resumes).toBe('yes');
    }
    expect(of('client-no-verify', 'server', 'TLSv1.2'), 'a target without a server has no server row').toBeUndefined();
  });

  it('every property of the catalogue fails against at least one mutant', () => {
    const caught = new Set(Object.values(EXPECTED_FAILURES).flatMap((v) => Object.values(v).flat()));
    // 3DES and RC4 suites: Node's OpenSSL has neither, so no Node mutant can offer them; the
    // interop self-test catches them with GnuTLS (tests/selftest-interop.test.ts).
    // A Node server gives a client it refuses no session (it drops the connection before the
    // tickets leave); a Python server that takes a resumed session for a verified one does.
    // Node limits client renegotiation per process (tls.CLIENT_RENEG_LIMIT), not per server: an
    // s_server with -client_renegotiation lifts the limit.
    const interopOnly = [
      ...matching(/^crypto\.reject-(3des|rc4)-suites\./),
      'resume.server-reject-unauthenticated-session',
      'reneg.strict-limit-client-initiated',
      // A request for TLS in clear is a protocol's (PostgreSQL's, MySQL's), made by real clients:
      // the mariadb client that carries on in clear when the server declines it is the mutant.
      'conf.reject-starttls-downgrade.client',
    ];
    // Tampering is caught by the TLS stacks themselves; no configuration switches it off (tests/wire.test.ts
    // shows the tamper lands). The client's acceptance checks fail on any broken harness, not a config.
    const notByConfig = [...matching(/^integ\./), 'sauth.accept-good', 'chain.accept-intermediate.client'];
    // Authorization needs a server that declares `admits`: tests/identities.test.ts breaks those.
    const byIdentities = matching(/^authz\./);
    // An open name beside an mTLS one needs `names`: tests/names.test.ts breaks that.
    byIdentities.push('resume.server-reject-open-name-session');
    expect(
      all.filter(
        (id) => !caught.has(id) && !interopOnly.includes(id) && !notByConfig.includes(id) && !byIdentities.includes(id),
      ),
    ).toEqual([]);
  });

  for (const [target, perVersion] of Object.entries(EXPECTED_FAILURES)) {
    for (const version of TLS_VERSIONS) {
      it(
        `${target} on ${version} fails exactly ` +
          `${perVersion[version]!.length ? perVersion[version]!.join(', ') : 'nothing'}`,
        () => {
          const rows = run.report!.results.filter((r) => r.target === target && r.version === version);
          expect(rows.length, 'checks that ran').toBeGreaterThan(0);
          const failed = rows
            .filter((r) => r.verdict !== 'pass' && r.verdict !== 'waived' && r.verdict !== 'n/a')
            .map((r) => r.id)
            .sort();
          expect(failed).toEqual([...new Set(perVersion[version])].sort());
          // A failure is a clear failure with evidence, not an inconclusive probe.
          for (const r of rows.filter(
            (row) => row.verdict !== 'pass' && row.verdict !== 'waived' && row.verdict !== 'n/a',
          )) {
            expect(r.verdict, `${r.id}: ${r.reason}`).toBe('fail');
            expect(r.probes.length).toBeGreaterThan(0);
          }
        },
      );
    }
  }
});
