/**
 * The real peers, broken one way each (selftest/interop-mutants.config.ts), are caught by the
 * right property ids; checks a program cannot take part in are n/a, never passed.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, property } from '../harness/catalogue.js';
import { TLS_VERSIONS } from '../harness/tls.js';
import { runSuite, type SuiteRun } from './run-suite.js';
import { stageReport } from './stage-reports.js';

const all = CATALOGUE.map((p) => p.id);
const ids = (prefix: string, except: string[] = []) =>
  all.filter((id) => id.startsWith(prefix) && !except.includes(id));
const matching = (pattern: RegExp) => all.filter((id) => pattern.test(id));
const roles = (id: string) => [`${id}.server`, `${id}.client`];
const IP_DIALER_WAIVES = ['sauth.reject-dns-mismatch'];
/**
 * Clients that verify the host they dial (no {name}) sit out the host-name checks that dial
 * another name; the one that dials 127.0.0.1, as they do, runs.
 */
const IP_HOST_CHECK = 'host.reject-ipv4-in-dns-san';
const NAME_WAIVES = [...IP_DIALER_WAIVES, ...matching(/^host\./).filter((id) => id !== IP_HOST_CHECK)];
const CHAIN_REJECTS = (role: string) => matching(new RegExp(`^chain\\.reject-.*\\.${role}$`));
const OBSOLETE_VERSIONS = [...roles('crypto.reject-tls1.0'), ...roles('crypto.reject-tls1.1')];
const GNUTLS_EKU = 'cauth.reject-eku-server-only';
/** What libldap (OpenLDAP 2.5 on GnuTLS) accepts of a server, the good ldap target's waived findings. */
const LIBLDAP_FINDINGS = [
  'host.reject-ipv4-in-dns-san',
  'sauth.reject-dns-only-for-ip',
  'sauth.reject-eku-client-only',
];
/** A server that asks for a certificate and lets any client in: every client check of its side fails. */
const ANY_CLIENT_IN = [...ids('cauth.reject-'), ...CHAIN_REJECTS('server')].filter(
  (id) => property(id).level === 'baseline',
);
/**
 * The checks by the post-handshake reference client, which sends one request once TLS is up: n/a
 * against a server whose protocol starts in clear (PostgreSQL, MySQL, LDAP).
 */
const POST_HANDSHAKE = matching(/-post-handshake$/);
/** The n/a reason of a check Node's client cannot take part in against a server that asks after the handshake. */
const POST_HANDSHAKE_ONLY = "the server asks for the client's certificate after the handshake";
/** A client whose protocol starts with TLS has no request for TLS in clear to be declined. */
const TLS_FIRST = ['conf.reject-starttls-downgrade.client'];

interface Expected {
  fails: string[];
  tls12?: string[];
  waived: string[];
  /** n/a on TLS 1.2 only. */
  tls12Waived?: string[];
  warns?: string[];
}
const EXPECTED: Record<string, Expected> = {
  // Without -verify_return_error, verification failures are only logged (all but the path
  // length one, which s_server's callback still refuses).
  'openssl-optional-verify': {
    // (cauth.strict-ca-list is about the CA names it asks for, which -CAfile still sets.)
    // After its client CA is rotated it lets the old client in as well, in a full handshake:
    // cauth.reject-foreign-ca's finding, not a resumption (that check is n/a). SHA-1 is strict.
    fails: [
      ...ids('cauth.', ['cauth.accept-good', 'cauth.strict-ca-list']),
      ...CHAIN_REJECTS('server').filter((id) => !id.includes('pathlen')),
    ],
    waived: [],
  },
  // -client_renegotiation: a client renegotiates 10 times on one connection and is served (strict).
  'openssl-client-renegotiation': { fails: [], waived: [], warns: ['reneg.strict-limit-client-initiated'] },
  // A client it refused holds a TLS 1.3 ticket (and a TLS 1.2 one), and the application takes the
  // resumed session for a verified one.
  'python-trusts-resumed': { fails: ['resume.server-reject-unauthenticated-session'], waived: [] },
  // CERT_NONE: nothing is verified, and getpeercert() shows no identity either.
  'python-cert-none': {
    // Its acceptance checks pass: it prints no identity, and that is a note, not a failure.
    fails: [...ids('sauth.', ['sauth.accept-good', ...IP_DIALER_WAIVES]), ...CHAIN_REJECTS('client'), IP_HOST_CHECK],
    waived: [...NAME_WAIVES, ...TLS_FIRST],
  },
  // --insecure, on GnuTLS's default priority (which also lets TLS 1.0 and 1.1 through).
  'gnutls-insecure': {
    fails: [...ids('sauth.', ['sauth.accept-good', ...IP_DIALER_WAIVES]), ...CHAIN_REJECTS('client'), IP_HOST_CHECK],
    tls12: ['crypto.reject-tls1.0.client', 'crypto.reject-tls1.1.client'],
    waived: [...NAME_WAIVES, ...TLS_FIRST],
  },
  // GnuTLS's NORMAL priority: TLS 1.0 and 1.1 (and the EKU finding the good gnutls target waives).
  'gnutls-default-priority': { fails: [GNUTLS_EKU], tls12: OBSOLETE_VERSIONS, waived: TLS_FIRST },
  // RC4 is a MUST NOT (a failure); 3DES a SHOULD NOT (a strict warning).
  'gnutls-rc4-3des': {
    fails: [GNUTLS_EKU],
    tls12: roles('crypto.reject-rc4-suites'),
    waived: TLS_FIRST,
    warns: roles('crypto.reject-3des-suites'),
  },
  // optional_no_ca lets issuer errors through, not the validity period nor the key purpose.
  // After its client CA is rotated it lets the old client in by a full handshake (a restarted
  // nginx has new ticket keys): cauth.reject-foreign-ca's finding, so the resumption check is n/a.
  'nginx-optional-no-ca': {
    fails: [
      'cauth.reject-none',
      'cauth.reject-foreign-ca',
      ...POST_HANDSHAKE,
      'cauth.reject-self-signed',
      'chain.reject-missing-intermediate.server',
    ],
    waived: [],
  },
  // hostssl with `trust`: TLS required, a presented certificate still verified, none not required.
  // The refusal a correct server gives (SQLSTATE 28000) is read in the interop run.
  'postgres-trust': { fails: ['cauth.reject-none'], waived: POST_HANDSHAKE },
  // sslmode=require without a root certificate file: nothing about the server is verified, its
  // chain, its name, its validity (every baseline check of the server's certificate fails).
  'psql-require': {
    fails: [
      ...ids('sauth.', ['sauth.accept-good']),
      ...CHAIN_REJECTS('client'),
      ...matching(/^host\./).filter((id) => property(id).level === 'baseline'),
    ],
    waived: [],
  },
  // REQUIRE SSL: TLS, no certificate; refused as a password check (ERR 1045) it then passes.
  'mariadb-require-ssl': { fails: ['cauth.reject-none'], waived: POST_HANDSHAKE },
  // --skip-ssl-verify-server-cert: the chain is still verified against --ssl-ca, the name is not,
  // and when the server offers no TLS the client carries on in clear.
  'mariadb-skip-verify': {
    fails: ['conf.reject-starttls-downgrade.client', 'host.reject-ipv4-in-dns-san', 'sauth.reject-dns-only-for-ip'],
    waived: NAME_WAIVES.filter((id) => id !== 'sauth.reject-dns-only-for-ip'),
  },
  'redis-auth-optional': { fails: ['cauth.reject-none', 'cauth.reject-none-post-handshake'], waived: [] },
  // TLSVerifyClient allow: a certificate is asked for, and none, or a bad one, lets the client in
  // (GnuTLS's unchecked key purpose among them, which the good ldap target waives as a finding).
  'slapd-verify-allow': { fails: ANY_CLIENT_IN.filter((id) => !POST_HANDSHAKE.includes(id)), waived: POST_HANDSHAKE },
  // -Z: when the server refuses StartTLS the session goes on in clear; with libldap's findings.
  // No ACL asks for a verified certificate: the same, at MAIL FROM (SMTP starts in clear: no post-handshake checks).
  'exim-no-cert-check': { fails: ANY_CLIENT_IN.filter((id) => !POST_HANDSHAKE.includes(id)), waived: POST_HANDSHAKE },
  // --ssl: the mail goes in clear when STARTTLS is not offered. curl shows nothing it received.
  'curl-smtp-starttls-optional': {
    fails: ['conf.reject-starttls-downgrade.client'],
    waived: ['integ.app-tamper.client'],
  },
  // tls.RequestClientCert: a certificate asked for, none required, none verified.
  'go-request-client-cert': { fails: ANY_CLIENT_IN, waived: [] },
  // No MinVersion: a Go 1.19 server takes TLS 1.0 and 1.1 (the good go target sets TLS 1.2).
  'go-default-min-version': {
    fails: [],
    tls12: ['crypto.reject-tls1.0.server', 'crypto.reject-tls1.1.server'],
    waived: [],
  },
  'ldapsearch-starttls-optional': {
    fails: ['conf.reject-starttls-downgrade.client', ...LIBLDAP_FINDINGS],
    waived: NAME_WAIVES,
  },
  // checkClientCertificate false: no certificate asked for, none verified (HTTP/2 is a conversation,
  // which the post-handshake client does not hold: those checks are n/a).
  'grpc-no-client-check': {
    fails: ANY_CLIENT_IN.filter((id) => !POST_HANDSHAKE.includes(id)),
    waived: ['cauth.strict-ca-list', ...POST_HANDSHAKE],
  },
  // setWantClientAuth: a certificate is asked for and verified when sent, and none lets the client in.
  'java-want-client-auth': { fails: ['cauth.reject-none', 'cauth.reject-none-post-handshake'], waived: [] },
  // SSLVerifyClient optional in the <Location>: none reaches /protected (on TLS 1.3 only the
  // post-handshake client can tell; on TLS 1.2 Node's client answers the renegotiation too).
  // It asks for nothing in the handshake: no CertificateRequest to read CA names from (TLS 1.2;
  // on TLS 1.3 every check but the post-handshake ones is n/a, as declared).
  'apache-location-optional': {
    fails: ['cauth.reject-none-post-handshake'],
    tls12: ['cauth.reject-none'],
    waived: [],
    tls12Waived: ['cauth.strict-ca-list'],
  },
  // --insecure: nothing about the server is verified.
  'redis-cli-insecure': {
    fails: [
      ...ids('sauth.', ['sauth.accept-good']),
      ...CHAIN_REJECTS('client'),
      ...matching(/^host\./).filter((id) => property(id).level === 'baseline'),
    ],
    waived: TLS_FIRST,
  },
  // require_certificate false: no certificate is asked for, and one presented is not verified.
  'mosquitto-no-cert': {
    fails: [...ids('cauth.reject-', ['cauth.reject-eku-client-only']), ...CHAIN_REJECTS('server')].filter(
      (id) => property(id).level === 'baseline',
    ),
    // It asks for no certificate at all, so there is no CertificateRequest to read CA names from.
    waived: ['cauth.strict-ca-list'],
  },
};

describe('self-test: broken real peers are caught by the right property ids', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    // As the interop run: one file per mutant target (MTLS_FILES=target), more workers than cores,
    // since its probes wait on programs (alone: 219 s at 2 workers per area, 101 s so; same cells).
    run = await runSuite(
      { MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/interop-mutants.config.ts'), MTLS_FILES: 'target' },
      ['--maxWorkers=6'],
      600_000,
    );
  }, 620_000);

  it('the run fails, ends by itself, and reports every mutant', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.report?.targets).toEqual(Object.keys(EXPECTED).sort());
  });

  it("no probe of a real peer resumed another probe's session", () => {
    const probes = run.report!.results.flatMap((r) => r.probes);
    expect(probes.length).toBeGreaterThan(100);
    expect(
      probes
        .filter((p) => p.evidence.resumed !== false && !p.evidence.resumptionAllowed)
        .map((p) => `${p.label}: ${p.reason}`),
    ).toEqual([]);
  });

  for (const [target, expected] of Object.entries(EXPECTED)) {
    for (const version of TLS_VERSIONS) {
      const fails = [...expected.fails, ...(version === 'TLSv1.2' ? (expected.tls12 ?? []) : [])];
      const waived = [
        ...expected.waived.filter((id) => !property(id).versions || property(id).versions!.includes(version)),
        ...(version === 'TLSv1.2' ? (expected.tls12Waived ?? []) : []),
      ];
      it(`${target} on ${version} fails exactly ${fails.join(', ')}`, () => {
        const rows = run.report!.results.filter((r) => r.target === target && r.version === version);
        expect(rows.length).toBeGreaterThan(0);
        if (expected.warns && version === 'TLSv1.2') {
          expect(
            rows.filter((r) => expected.warns!.includes(r.id)).map((r) => r.verdict),
            'strict findings',
          ).toEqual(expected.warns.map(() => 'warning'));
        }
        const notPassed = rows.filter((r) => r.verdict === 'fail' || r.verdict === 'inconclusive');
        // A row that should not be here says why it is: its verdict, reason and probes' reasons.
        const why = notPassed
          .filter((r) => !fails.includes(r.id))
          .map((r) => `${r.id} ${r.verdict}: ${r.reason}; ${r.probes.map((p) => `${p.label}: ${p.reason}`).join('; ')}`)
          .join('\n');
        expect(notPassed.map((r) => r.id).sort(), why).toEqual([...fails].sort());
        expect(rows.filter((r) => r.verdict === 'fail').length, 'failures are clear failures, not inconclusive').toBe(
          fails.length,
        );
        // The checks a program cannot take part in are n/a with the harness's reason (not the target's waiver).
        expect(
          rows
            .filter(
              (r) =>
                r.verdict === 'n/a' &&
                !/^the target has no|only$/.test(r.reason!) &&
                // Declared by the config (clientAuth: 'post-handshake'), not found by the harness.
                !r.reason!.startsWith(POST_HANDSHAKE_ONLY) &&
                r.area !== 'authorization' &&
                r.area !== 'resumption',
            )
            .map((r) => r.id)
            .sort(),
        ).toEqual([...waived].sort());
      });
    }
  }
});

describe('a server that asks for the certificate after the handshake', () => {
  it('on TLS 1.3, only the post-handshake checks run (and pass); the rest are n/a, with the reason', async () => {
    const report = await stageReport('interop', ['apache-location']);
    const rows = report.results.filter((r) => r.target.split('/')[0] === 'apache-location' && r.version === 'TLSv1.3');
    const ran = rows.filter((r) => r.verdict !== 'n/a').map((r) => r.id);
    expect([...new Set(ran)].sort()).toEqual([...POST_HANDSHAKE].sort());
    expect(rows.filter((r) => r.verdict === 'pass').length).toBe(ran.length);
    const cauth = rows.find((r) => r.id === 'cauth.reject-none')!;
    expect(cauth.reason).toMatch(new RegExp(`^${POST_HANDSHAKE_ONLY}`));
    // Apache refuses in TLS: certificate_required for none, unknown_ca for another CA's certificate.
    const refusals = rows
      .filter((r) => POST_HANDSHAKE.includes(r.id))
      .map((r) => r.probes.find((p) => p.kind === 'adversarial')!.reason);
    expect([...new Set(refusals)].sort()).toEqual([
      'no application data crossed; client error ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      'no application data crossed; client error ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    ]);
  }, 920_000);
});

describe('the services, configured right, refuse a client without a certificate in their own words', () => {
  // The interop run npm test made (or, alone, a run of these targets).
  const refusal = async (target: string) => {
    const report = await stageReport('interop', [
      'postgres',
      'mariadb',
      'redis',
      'mosquitto',
      'ldap',
      'exim',
      'apache-h2',
      'grpc',
      'go',
      'java',
    ]);
    const cells = report.results.filter((r) => r.target.split('/')[0] === target && r.id === 'cauth.reject-none');
    expect(cells.length, target).toBeGreaterThan(0);
    expect(cells.map((c) => c.verdict)).toEqual(cells.map(() => 'pass'));
    // A probe tried again after a stall (Exim's greeting, late under load) says so after its reason.
    const own = (p: (typeof cells)[number]['probes'][number]) =>
      p.evidence?.firstTry ? p.reason.slice(0, p.reason.indexOf(' (a second try: the first stalled, ')) : p.reason;
    return [...new Set(cells.map((c) => own(c.probes.find((p) => p.kind === 'adversarial')!)))];
  };

  it('PostgreSQL refuses a client without a certificate after TLS: SQLSTATE 28000, quoted', async () => {
    expect(await refusal('postgres')).toEqual([
      'the server refused the client in its protocol: FATAL 28000 "connection requires a valid client certificate"',
    ]);
  }, 920_000);

  it('MariaDB (REQUIRE X509) refuses it with ERR 1045, quoted', async () => {
    expect(await refusal('mariadb')).toEqual([
      "the server refused the client in its protocol: ERR 1045 (28000) \"Access denied for user 'mtls'@'127.0.0.1' " +
        '(using password: NO)"',
    ]);
  }, 920_000);

  it('Redis, Mosquitto, Apache (h2), grpc-js refuse it in TLS: handshake_failure, certificate_required', async () => {
    // Apache's and grpc-js's refusals in HTTP/2 and gRPC (grpc-status 16): tests/protocols.test.ts.
    for (const target of ['redis', 'mosquitto', 'apache-h2', 'grpc'])
      expect((await refusal(target)).sort(), target).toEqual([
        'no application data crossed; client error ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
        'no application data crossed; client error ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      ]);
  }, 920_000);

  it("Go's crypto/tls and Java's JSSE refuse it in TLS: bad_certificate, on both versions", async () => {
    for (const target of ['go', 'java'])
      expect(await refusal(target), target).toEqual([
        'no application data crossed; client error ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
      ]);
  }, 920_000);

  it('Exim refuses it at MAIL FROM after a completed STARTTLS: 550 5.7.1, quoted', async () => {
    expect(await refusal('exim')).toEqual([
      'the server refused MAIL FROM in its protocol: "550 5.7.1 A verified client certificate is required"',
    ]);
  }, 920_000);

  it('slapd refuses it in TLS without an alert: a reset (1.2), a close once the handshake is done (1.3)', async () => {
    // Its refusals in LDAP, a result code with its words, are read in tests/protocols.test.ts.
    expect((await refusal('ldap')).sort()).toEqual([
      'no application data crossed; client error ECONNRESET',
      'no application data crossed; the connection was closed (client handshake completed)',
    ]);
  }, 920_000);
});
