/**
 * The property catalogue: every property the suite checks, with a stable id. Specs name these
 * ids; the reporter joins results to them; a spec area that leaves an id untested fails.
 *
 * `role` is the role of the target under test: 'server' properties are checked against the
 * target's server (the harness plays the client), 'client' ones against its client.
 */
import type { KeyType } from './pki/issue.js';
import type { TlsVersion } from './tls.js';
import { clauseOf, LEVEL_OF, type Clause } from './clauses.js';
import { remedyOf, type Remedy } from './remedies.js';
import type { SERVER_DNS, SERVER_IP, SERVER_IPV6 } from '../fixtures/profiles.js';

export type Area =
  | 'confidentiality'
  | 'integrity'
  | 'server-authentication'
  | 'client-authentication'
  | 'authorization'
  | 'chains'
  | 'host-names'
  | 'crypto-policy'
  | 'revocation'
  | 'resumption'
  | 'renegotiation';
export type Role = 'server' | 'client';
/**
 * baseline: the document and RFC MUSTs; a failure fails the run.
 * strict: SHOULDs and webpki-style strictness; a failure is a warning unless MTLS_PROFILE=strict.
 */
export type Level = 'baseline' | 'strict';
/**
 * What a client check needs the client under test to verify (harness/dial.ts decides from it):
 * - absent: no particular name (the reference server's certificates name every loopback name,
 *   so whatever the client verifies, a program's own {host} included, works);
 * - 'ip' / 'dns': a name of that kind;
 * - a loopback name: exactly that one (a program joins when it verifies it as its {host});
 * - 'chosen': names the harness picks for the run (a wildcard's domain, a name no certificate
 *   carries): only a client that takes the name ({name}, or a node role) can join.
 */
export type DialNeed = 'ip' | 'dns' | 'chosen' | LoopbackName;
export type LoopbackName = typeof SERVER_IP | typeof SERVER_DNS | typeof SERVER_IPV6;

export interface Property {
  id: string;
  area: Area;
  role: Role;
  level: Level;
  statement: string;
  source: string;
  /** For a client check: how the client must dial (a program that dials otherwise sits it out). */
  dial?: DialNeed;
  /** The TLS versions the check runs under, when not every one (cipher suites are TLS 1.2 only). */
  versions?: TlsVersion[];
  /** The key types the check applies to, when not every one, and why. */
  keys?: KeyType[];
  keysReason?: string;
  /** A server check that only applies when the server declares the identities it admits (`admits`). */
  needsAdmits?: true;
  /**
   * A server check of the client's certificate (it is n/a for a server name declared without
   * client authentication). Set by area, and by `peerCertificate` for the checks elsewhere that judge it.
   */
  judgesClientCertificates: boolean;
  /** Declared on a check of another area that is about the peer's certificate (a weak key, a SHA-1 signature). */
  peerCertificate?: true;
  /**
   * The report table whose rows this property's cells give: the client-authentication modes, the session resumption
   * table.
   */
  table?: 'client-auth-modes' | 'sessions';
  /** The sentence it rests on, verbatim (harness/clauses.ts): its kind decides the level. */
  clause: Clause;
  /** How to fix it when it fails (harness/remedies.ts). */
  remedy: Remedy;
  /**
   * The level it had before its clause was audited, when that differs: a snapshot recorded
   * under the old level reads such a cell as changed, not as a regression or an improvement.
   */
  movedFrom?: Level;
}

/**
 * Properties whose level changed when every level was audited against its clause (see the note
 * of each clause): they keep their ids, which waivers and snapshots name.
 */
const MOVED: Record<string, Level> = {
  'host.reject-wildcard-tld': 'baseline',
  'crypto.reject-sha1-signature.server': 'baseline',
  'crypto.reject-sha1-signature.client': 'baseline',
};

const DOC = 'mtls-tutorial.md';
/**
 * What a property's declaration says; the rest (its clause and level, whether it judges client certificates) is
 * derived.
 */
export type Declared = Omit<Property, 'level' | 'clause' | 'remedy' | 'judgesClientCertificates' | 'movedFrom'>;

/** A property, declared as an object; its level is its clause's (levels follow their sources). */
function p(declared: Declared): Property {
  const { id, area, role } = declared;
  const clause = clauseOf(id);
  if (!clause) throw new Error(`property '${id}' has no clause in harness/clauses.ts: quote the sentence it rests on`);
  const remedy = remedyOf(id);
  if (!remedy) throw new Error(`property '${id}' has no remedy in harness/remedies.ts: say how to fix it`);
  const judges = role === 'server' && (CLIENT_CERTIFICATE_AREAS.includes(area) || declared.peerCertificate === true);
  return {
    ...declared,
    level: LEVEL_OF[clause.kind],
    clause,
    remedy,
    judgesClientCertificates: judges,
    ...(MOVED[id] ? { movedFrom: MOVED[id] } : {}),
  };
}
/** Areas whose server checks judge the client's certificate. */
const CLIENT_CERTIFICATE_AREAS: Area[] = [
  'client-authentication',
  'authorization',
  'chains',
  'revocation',
  'resumption',
];
const TLS12_ONLY = { versions: ['TLSv1.2'] as TlsVersion[] };

type ForBothRoles = Omit<Declared, 'id' | 'role' | 'statement'> & {
  id: string;
  statement: (verifier: string, peer: string) => string;
};

/** A property checked for both roles: `<id>.server` (the target's server verifies) and `<id>.client`. */
function both({ id, statement, ...rest }: ForBothRoles): Property[] {
  return [
    p({ ...rest, id: `${id}.server`, role: 'server', statement: statement('server', 'client') }),
    p({ ...rest, id: `${id}.client`, role: 'client', statement: statement('client', 'server') }),
  ];
}

/**
 * The authentication pair: `cauth.<name>` (the server verifies its client) and `sauth.<name>` (the
 * client verifies its server), one statement for both.
 */
function mutual({
  name,
  statement,
  source,
}: {
  name: string;
  statement: (verifier: string, peer: string) => string;
  source: string;
}): [Property, Property] {
  return [
    p({
      id: `cauth.${name}`,
      area: 'client-authentication',
      role: 'server',
      statement: statement('server', 'client'),
      source,
    }),
    p({
      id: `sauth.${name}`,
      area: 'server-authentication',
      role: 'client',
      statement: statement('client', 'server'),
      source,
    }),
  ];
}

const ADMITS = { needsAdmits: true } as const;
const AUTHZ = 'RFC 9525 §6; SPIFFE X.509-SVID §2';
/** Authorization: among all the identities the CA signs, the server admits only those it declares (`admits`). */
const AUTHORIZATION: Property[] = [
  p({
    id: 'authz.accept-admitted',
    area: 'authorization',
    role: 'server',
    statement:
      'The server accepts a client certificate for an identity it admits, and its application sees that identity.',
    source: AUTHZ,
    ...ADMITS,
  }),
  p({
    id: 'authz.reject-other-identity',
    area: 'authorization',
    role: 'server',
    statement:
      'The server rejects a client certificate from its trusted CA for an identity it does not admit (same key ' +
      'type, EKU and issuer, another SAN).',
    source: AUTHZ,
    ...ADMITS,
  }),
  p({
    id: 'authz.reject-admitted-in-cn-only',
    area: 'authorization',
    role: 'server',
    statement:
      'The server rejects a client certificate whose only mention of an admitted identity is its CN (its SANs name ' +
      'another).',
    source: `${AUTHZ}; RFC 6125 §6.4.4`,
    ...ADMITS,
  }),
  p({
    id: 'authz.reject-admitted-as-other-san-type',
    area: 'authorization',
    role: 'server',
    statement:
      'The server rejects a client certificate that carries an admitted name in another SAN type (a URI SAN where a ' +
      'DNS one is admitted, or the reverse).',
    source: `${AUTHZ}; Envoy CVE-2022-21656`,
    ...ADMITS,
  }),
];

const PATH = 'RFC 5280 §6.1';
const CHAINS: Property[] = [
  ...both({
    id: 'chain.accept-intermediate',
    area: 'chains',
    statement: (v, peer) =>
      `The ${v} accepts a ${peer} certificate issued by an intermediate CA when the ${peer} sends the intermediate.`,
    source: `RFC 8446 §4.4.2, RFC 5246 §7.4.2; ${PATH}`,
  }),
  ...both({
    id: 'chain.reject-missing-intermediate',
    area: 'chains',
    statement: (v, peer) =>
      `The ${v} rejects a ${peer} certificate issued by an intermediate CA it does not trust when the ${peer} does ` +
      `not send the intermediate.`,
    source: PATH,
  }),
  ...both({
    id: 'chain.reject-issuer-not-ca',
    area: 'chains',
    statement: (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate has basicConstraints CA:FALSE.`,
    source: `RFC 5280 §4.2.1.9, §6.1.4 (k)`,
  }),
  ...both({
    id: 'chain.reject-issuer-without-basic-constraints',
    area: 'chains',
    statement: (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate has no basicConstraints extension.`,
    source: `RFC 5280 §4.2.1.9, §6.1.4 (k)`,
  }),
  ...both({
    id: 'chain.reject-pathlen-exceeded',
    area: 'chains',
    statement: (v, peer) =>
      `The ${v} rejects a ${peer} chain with a CA below an intermediate whose pathLenConstraint is 0.`,
    source: `RFC 5280 §4.2.1.9, §6.1.4 (l), (m)`,
  }),
  ...both({
    id: 'chain.reject-intermediate-expired',
    area: 'chains',
    statement: (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate has expired.`,
    source: `RFC 5280 §6.1.3 (a)(2)`,
  }),
  ...both({
    id: 'chain.reject-issuer-without-keycertsign',
    area: 'chains',
    statement: (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate's keyUsage lacks keyCertSign.`,
    source: `RFC 5280 §4.2.1.3, §6.1.4 (n)`,
  }),
  ...both({
    id: 'chain.reject-name-constraints',
    area: 'chains',
    statement: (v, peer) =>
      `The ${v} rejects a ${peer} certificate whose names lie outside its issuer's permitted DNS subtree.`,
    source: `RFC 5280 §4.2.1.10, §6.1.3 (b)`,
  }),
  ...both({
    id: 'chain.strict-reject-ca-leaf',
    area: 'chains',
    statement: (v, peer) => `The ${v} rejects a ${peer} end-entity certificate with basicConstraints CA:TRUE.`,
    source: 'CA/Browser Forum Baseline Requirements §7.1.2.7.8; webpki',
  }),
];

const HOST = 'RFC 6125 §6.4';
const HOST_NAMES: Property[] = [
  p({
    id: 'host.reject-wildcard-bare-domain',
    area: 'host-names',
    role: 'client',
    statement:
      'Dialing example.test, the client rejects a server certificate for *.example.test only: a wildcard does not ' +
      'match the bare domain.',
    source: `${HOST}.3`,
    dial: 'chosen',
  }),
  p({
    id: 'host.reject-wildcard-two-labels',
    area: 'host-names',
    role: 'client',
    statement:
      'Dialing a.b.example.test, the client rejects a server certificate for *.example.test only: a wildcard ' +
      'matches one label.',
    source: `${HOST}.3`,
    dial: 'chosen',
  }),
  p({
    id: 'host.reject-wildcard-tld',
    area: 'host-names',
    role: 'client',
    statement:
      'Dialing example.test, the client rejects a server certificate for *.test: no wildcard directly under a ' +
      'top-level domain (the public-suffix rule of browsers and the CA/Browser Forum; RFC 9525 has none).',
    source: "CA/Browser Forum BR §3.2.2.6 (a rule for CAs); browsers' public-suffix matching",
    dial: 'chosen',
  }),
  p({
    id: 'host.reject-ipv4-in-dns-san',
    area: 'host-names',
    role: 'client',
    statement:
      'Dialing 127.0.0.1, the client rejects a server certificate that carries 127.0.0.1 as a DNS SAN and no IP SAN.',
    source: 'RFC 6125 §1.7.2, RFC 5280 §4.2.1.6',
    dial: '127.0.0.1',
  }),
  p({
    id: 'host.reject-ipv6-in-dns-san',
    area: 'host-names',
    role: 'client',
    statement: 'Dialing ::1, the client rejects a server certificate that carries ::1 as a DNS SAN and no IP SAN.',
    source: 'RFC 6125 §1.7.2, RFC 5280 §4.2.1.6',
    dial: '::1',
  }),
  p({
    id: 'host.reject-dns-only-for-ipv6',
    area: 'host-names',
    role: 'client',
    statement: 'Dialing ::1, the client rejects a server certificate without an IP SAN (DNS SAN only).',
    source: 'RFC 6125 §1.7.2, RFC 5280 §4.2.1.6',
    dial: '::1',
  }),
  p({
    id: 'host.reject-uri-san-only',
    area: 'host-names',
    role: 'client',
    statement:
      'Dialing localhost, the client rejects a server certificate whose only SAN is the URI https://localhost/.',
    source: `${HOST}; RFC 9525 §6.2`,
    dial: 'localhost',
  }),
  p({
    id: 'host.reject-cn-when-san-present',
    area: 'host-names',
    role: 'client',
    statement:
      'Dialing localhost, the client rejects a server certificate with CN=localhost whose SANs name other ' +
      'identities: CN is ignored when a SAN is present.',
    source: `${HOST}.4; RFC 9525 §6.3`,
    dial: 'localhost',
  }),
  p({
    id: 'host.strict-reject-cn-only',
    area: 'host-names',
    role: 'client',
    statement: 'Dialing localhost, the client rejects a server certificate without SANs whose CN is localhost.',
    source: 'RFC 9525 §6.3; CA/Browser Forum BR §7.1.2.7.12',
    dial: 'localhost',
  }),
];

/**
 * A suite family: the server must not select it when offered only that; the client must not offer it (offering is
 * agreeing).
 */
function suites({
  id,
  family,
  source,
  ...more
}: { id: string; family: string; source: string } & Partial<Declared>): Property[] {
  return [
    p({
      ...more,
      id: `${id}.server`,
      area: 'crypto-policy',
      role: 'server',
      statement: `The server does not select ${family} when the client offers nothing else.`,
      source,
    }),
    p({
      ...more,
      id: `${id}.client`,
      area: 'crypto-policy',
      role: 'client',
      statement: `The client does not offer ${family} in its ClientHello.`,
      source,
    }),
  ];
}

/**
 * Revocation: the verifier is given the CRLs of the run's CAs (Node `crl`, a program's {crl}).
 * Strict: the document's setup loads no CRL, so its default target holds these only as warnings.
 */
const REVOCATION: Property[] = [
  ...both({
    id: 'revoke.strict-reject-revoked',
    area: 'revocation',
    statement: (v, peer) => `The ${v}, given its CA's CRL, rejects a ${peer} certificate the CRL lists as revoked.`,
    source: 'RFC 5280 §5, §6.3',
  }),
  ...both({
    id: 'revoke.strict-reject-revoked-intermediate',
    area: 'revocation',
    statement: (v, peer) =>
      `The ${v}, given the CRLs of the whole chain, rejects a ${peer} chain whose intermediate CA the root's CRL ` +
      `lists as revoked.`,
    source: 'RFC 5280 §6.3 (every certificate of the path)',
  }),
  ...both({
    id: 'revoke.strict-reject-expired-crl',
    area: 'revocation',
    statement: (v, peer) =>
      `The ${v}, given for its CA only a CRL past its nextUpdate, rejects the good ${peer} certificate (not listed ` +
      `in it) rather than accept it unchecked.`,
    source: 'RFC 5280 §6.3.3 (a CRL past its nextUpdate cannot decide)',
  }),
  ...both({
    id: 'revoke.strict-reject-bad-crl-signature',
    area: 'revocation',
    statement: (v, peer) =>
      `The ${v}, given for its CA only a CRL whose signature does not verify, rejects the good ${peer} certificate ` +
      `(not listed in it) rather than accept it unchecked.`,
    source: 'RFC 5280 §6.3.3 (f)',
  }),
];

/**
 * How many renegotiations the reference client asks for in a row: well past Node's limit (tls.CLIENT_RENEG_LIMIT, 3 in
 * 10 minutes).
 */
export const RENEGOTIATIONS = 10;

/** Renegotiation (TLS 1.2 only): a handshake inside a connection, on the client's say-so. */
const RENEGOTIATION: Property[] = [
  p({
    id: 'reneg.strict-limit-client-initiated',
    area: 'renegotiation',
    role: 'server',
    statement:
      `The server refuses client-initiated renegotiation, or limits it: a client that renegotiates ` +
      `${RENEGOTIATIONS} times in a row on one connection is stopped before its data is served. Each renegotiation ` +
      `costs the server a handshake (a denial of service, CVE-2011-1473); OpenSSL 3 servers refuse it by default, ` +
      `Node's allow 3 in 10 minutes.`,
    source:
      'RFC 5746 §4.4 (servers may refuse renegotiation); CVE-2011-1473; testssl.sh "client-initiated renegotiation"',
    ...TLS12_ONLY,
  }),
];

/** Resumption: a resumed handshake carries no certificate, so what was checked in the full one must still hold. */
const RESUMPTION: Property[] = [
  p({
    id: 'resume.server-reject-after-ca-change',
    area: 'resumption',
    role: 'server',
    statement:
      "After the server's client CA is rotated (restarted trusting another CA, its ticket-key configuration as it " +
      'is), a session a client made under the old CA does not resume: the client must show a certificate the new CA ' +
      'issued.',
    source:
      'RFC 8446 §4.6.1 (a PSK is bound to the context it was made in); Go CVE-2025-68121, Envoy CVE-2022-21654 ' +
      '(sessions resumed after the trust changed)',
    table: 'sessions',
  }),
  p({
    id: 'resume.server-reject-unauthenticated-session',
    area: 'resumption',
    role: 'server',
    statement:
      'A session the server gave a client it did not authenticate (one with no certificate, or with a certificate ' +
      'it refused) does not resume into an authenticated connection: offered later, with no certificate, it is ' +
      'refused.',
    source: "RFC 8446 §4.6.1 (a resumed connection carries the original one's authentication); RFC 5246 §7.4.1.2",
  }),
  p({
    id: 'resume.server-reject-open-name-session',
    area: 'resumption',
    role: 'server',
    statement:
      'On a server with an open name and a name requiring client certificates on one address, a session made on the ' +
      'open name without a certificate does not resume into the name requiring one. Needs `names` with an open ' +
      'name; n/a otherwise.',
    source:
      'RFC 6066 §3 (a resumed session keeps its server_name); nginx CVE-2025-23419 (TLS 1.3 resumption across ' +
      'server blocks bypasses ssl_verify_client)',
  }),
  p({
    id: 'resume.client-reject-after-ca-change',
    area: 'resumption',
    role: 'client',
    statement:
      "After the client's CA is rotated (reconfigured trusting another CA), it does not resume a session made with " +
      'a server it verified under the old CA: the server must show a certificate the new CA issued.',
    source: 'RFC 8446 §4.6.1; Go CVE-2025-68121 (resumption after RootCAs changed)',
    table: 'sessions',
  }),
  p({
    id: 'resume.client-reject-other-name',
    area: 'resumption',
    role: 'client',
    statement:
      'The client does not resume, on a connection to another name, a session it made with a server verified for ' +
      'one name: a resumed handshake carries no certificate, so the other name would never be checked.',
    source:
      "RFC 8446 §4.6.1, RFC 5077 §3.4 (a session is bound to the server it was made with); Node's tls skips " +
      'checkServerIdentity on a resumed session',
    dial: 'chosen',
  }),
];

const CRYPTO: Property[] = [
  ...both({
    id: 'crypto.reject-weak-rsa-key',
    area: 'crypto-policy',
    statement: (v, peer) => `The ${v} rejects a ${peer} certificate for an RSA-1024 key.`,
    source: 'RFC 9325 §4.4 (SHOULD); NIST SP 800-131A Rev. 2',
    peerCertificate: true,
  }),
  ...both({
    id: 'crypto.reject-sha1-signature',
    area: 'crypto-policy',
    statement: (v, peer) => `The ${v} rejects a ${peer} certificate signed with SHA-1.`,
    source: 'RFC 8446 §4.4.2.4 (RECOMMENDED); CA/Browser Forum BR §7.1.3.2',
    peerCertificate: true,
  }),
  ...both({
    id: 'crypto.reject-tls1.0',
    area: 'crypto-policy',
    statement: (v, peer) => `The ${v} refuses TLS 1.0 when the ${peer} offers nothing newer.`,
    source: 'RFC 8996 §4',
    ...TLS12_ONLY,
  }),
  ...both({
    id: 'crypto.reject-tls1.1',
    area: 'crypto-policy',
    statement: (v, peer) => `The ${v} refuses TLS 1.1 when the ${peer} offers nothing newer.`,
    source: 'RFC 8996 §5',
    ...TLS12_ONLY,
  }),
  ...suites({
    id: 'crypto.reject-null-suites',
    family: 'a NULL-encryption suite',
    source: 'RFC 9325 §4.1',
    ...TLS12_ONLY,
  }),
  ...suites({ id: 'crypto.reject-rc4-suites', family: 'an RC4 suite', source: 'RFC 7465 §2', ...TLS12_ONLY }),
  ...suites({
    id: 'crypto.reject-3des-suites',
    family: 'a 3DES suite (under 128-bit security)',
    source: 'RFC 9325 §4.1 (SHOULD NOT)',
    ...TLS12_ONLY,
  }),
  ...suites({
    id: 'crypto.reject-cbc-suites',
    family: 'a CBC-mode suite (AES-CBC with ECDHE or DHE)',
    source: 'RFC 9325 §4.2 (SHOULD NOT)',
    ...TLS12_ONLY,
  }),
  p({
    id: 'crypto.reject-static-rsa-suites.server',
    area: 'crypto-policy',
    role: 'server',
    statement:
      'The server does not select static RSA key exchange (TLS_RSA_WITH_AES_*_GCM/CCM) when the client offers only ' +
      'that.',
    source: 'RFC 9325 §4.1 (SHOULD NOT)',
    ...TLS12_ONLY,
    keys: ['rsa-2048'],
    keysReason: 'static RSA key exchange needs an RSA server key',
  }),
  p({
    id: 'crypto.reject-static-rsa-suites.client',
    area: 'crypto-policy',
    role: 'client',
    statement: 'The client does not offer static RSA key exchange (TLS_RSA_WITH_AES_*_GCM/CCM) in its ClientHello.',
    source: 'RFC 9325 §4.1 (SHOULD NOT)',
    ...TLS12_ONLY,
  }),
];

/**
 * The checks each side makes of the other's certificate alike: `cauth.<name>` and `sauth.<name>`, one statement each.
 */
const PAIRS = [
  mutual({
    name: 'reject-foreign-ca',
    statement: (v, peer) =>
      `The ${v} rejects a ${peer} certificate with the same subject and SANs issued by a CA it does not trust.`,
    source: `${DOC} "Authentication"; RFC 5280 §6.1`,
  }),
  mutual({
    name: 'reject-self-signed',
    statement: (v, peer) => `The ${v} rejects a self-signed ${peer} certificate with the same subject and SANs.`,
    source: `${DOC} "Authentication"; RFC 5280 §6.1`,
  }),
  mutual({
    name: 'reject-expired',
    statement: (v, peer) => `The ${v} rejects an expired ${peer} certificate.`,
    source: `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`,
  }),
  mutual({
    name: 'reject-not-yet-valid',
    statement: (v, peer) => `The ${v} rejects a ${peer} certificate that is not yet valid.`,
    source: `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`,
  }),
];
const half =
  (side: 0 | 1) =>
  (name: string): Property =>
    PAIRS.find(([c]) => c.id === `cauth.${name}`)![side];
const CAUTH = half(0);
const SAUTH = half(1);

export const CATALOGUE: readonly Property[] = [
  p({
    id: 'conf.wire-encrypted.server',
    area: 'confidentiality',
    role: 'server',
    statement:
      'Application data to and from the server never appears in clear on the wire; every byte on the wire after ' +
      "the protocol's clear start, if it has one (PostgreSQL's SSLRequest), is inside a TLS record.",
    source: `${DOC} "Confidentiality: Data is encrypted"`,
  }),
  p({
    id: 'conf.wire-encrypted.client',
    area: 'confidentiality',
    role: 'client',
    statement:
      'Application data to and from the client never appears in clear on the wire; every byte on the wire after ' +
      "the protocol's clear start, if it has one (PostgreSQL's SSLRequest), is inside a TLS record.",
    source: `${DOC} "Confidentiality: Data is encrypted"`,
  }),
  p({
    id: 'conf.reject-starttls-downgrade.client',
    area: 'confidentiality',
    role: 'client',
    statement:
      "Where its protocol asks for TLS in clear first (PostgreSQL's SSLRequest, a MySQL greeting), the client does " +
      'not carry on in clear when the server declines TLS: it sends nothing more and closes.',
    source: `${DOC} "Confidentiality: Data is encrypted"; RFC 9325 §3.2`,
  }),
  p({
    id: 'conf.aead-fs.server',
    area: 'confidentiality',
    role: 'server',
    statement:
      'Offered every suite, strongest first, the server negotiates TLS 1.2 or later, encrypting (no NULL cipher), ' +
      'with a forward-secret key exchange. (Whether the cipher is an AEAD is noted; an AEAD is RECOMMENDED, not ' +
      'required: crypto.reject-cbc-suites judges it.)',
    source: `${DOC} "Confidentiality"; RFC 9325 §4.1; RFC 8996`,
  }),
  p({
    id: 'conf.aead-fs.client',
    area: 'confidentiality',
    role: 'client',
    statement:
      'Offered every suite, strongest first, the client negotiates TLS 1.2 or later, encrypting (no NULL cipher), ' +
      'with a forward-secret key exchange. (Whether the cipher is an AEAD is noted; an AEAD is RECOMMENDED, not ' +
      'required: crypto.reject-cbc-suites judges it.)',
    source: `${DOC} "Confidentiality"; RFC 9325 §4.1; RFC 8996`,
  }),

  p({
    id: 'integ.app-tamper.server',
    area: 'integrity',
    role: 'server',
    statement:
      'A flipped bit in an application-data record from the client makes the server abort; the altered bytes never ' +
      'reach its application.',
    source: `${DOC} "Integrity: Data is not tampered"; RFC 8446 §5.2, RFC 5246 §6.2.3`,
  }),
  p({
    id: 'integ.app-tamper.client',
    area: 'integrity',
    role: 'client',
    statement:
      'A flipped bit in an application-data record from the server makes the client abort; the altered bytes never ' +
      'reach its application.',
    source: `${DOC} "Integrity: Data is not tampered"; RFC 8446 §5.2, RFC 5246 §6.2.3`,
  }),
  p({
    id: 'integ.handshake-tamper.server',
    area: 'integrity',
    role: 'server',
    statement: 'An altered ClientHello makes the handshake with the server fail; no application data crosses.',
    source: `${DOC} "Integrity"; RFC 8446 §4.4.4, RFC 5246 §7.4.9`,
  }),
  p({
    id: 'integ.handshake-tamper.client',
    area: 'integrity',
    role: 'client',
    statement: 'An altered ServerHello makes the handshake of the client fail; no application data crosses.',
    source: `${DOC} "Integrity"; RFC 8446 §4.4.4, RFC 5246 §7.4.9`,
  }),

  p({
    id: 'sauth.accept-good',
    area: 'server-authentication',
    role: 'client',
    statement: 'The client accepts the server certificate issued by its CA and sees the server identity.',
    source: `${DOC} client.py (cafile=ca_cert.pem, server_hostname)`,
  }),
  SAUTH('reject-foreign-ca'),
  SAUTH('reject-self-signed'),
  SAUTH('reject-expired'),
  SAUTH('reject-not-yet-valid'),
  p({
    id: 'sauth.reject-dns-mismatch',
    area: 'server-authentication',
    role: 'client',
    statement: 'Dialing a DNS name, the client rejects a server certificate whose DNS SAN names another host.',
    source: `${DOC} server_hostname; RFC 6125 §6.4, RFC 9110 §4.3.4`,
    dial: 'dns',
  }),
  p({
    id: 'sauth.reject-dns-only-for-ip',
    area: 'server-authentication',
    role: 'client',
    statement:
      'Dialing an IP address, the client rejects a server certificate without an IP SAN for it (DNS SAN only).',
    source: `${DOC} server_hostname="127.0.0.1"; RFC 6125 §1.7.2, RFC 5280 §4.2.1.6`,
    dial: 'ip',
  }),
  p({
    id: 'sauth.reject-eku-client-only',
    area: 'server-authentication',
    role: 'client',
    statement: 'The client rejects a server certificate whose extended key usage allows clientAuth only.',
    source: `${DOC} server_ext.cnf extendedKeyUsage=serverAuth; RFC 5280 §4.2.1.12`,
  }),

  p({
    id: 'cauth.accept-good',
    area: 'client-authentication',
    role: 'server',
    statement:
      'The server accepts the client certificate issued by its CA and hands the verified client identity to the ' +
      'application.',
    source: `${DOC} server.py (CERT_REQUIRED, getpeercert)`,
  }),
  p({
    id: 'cauth.reject-none',
    area: 'client-authentication',
    role: 'server',
    statement: 'The server rejects a client that presents no certificate; no application data from it is processed.',
    source: `${DOC} server.py verify_mode = ssl.CERT_REQUIRED`,
    table: 'client-auth-modes',
  }),
  CAUTH('reject-foreign-ca'),
  CAUTH('reject-self-signed'),
  CAUTH('reject-expired'),
  CAUTH('reject-not-yet-valid'),
  p({
    id: 'cauth.reject-none-post-handshake',
    area: 'client-authentication',
    role: 'server',
    statement:
      'The server does not serve what it protects to a client that presents no certificate when the server asks ' +
      'for one after the handshake (a TLS 1.3 post-handshake CertificateRequest, a TLS 1.2 renegotiation: ' +
      "Apache's SSLVerifyClient inside a <Location>), and serves the good client; checked with a reference client " +
      'that can answer such a request. A server that asks in the handshake is asked the same.',
    source: `${DOC} server.py verify_mode = ssl.CERT_REQUIRED; RFC 8446 §4.6.2`,
  }),
  p({
    id: 'cauth.reject-foreign-ca-post-handshake',
    area: 'client-authentication',
    role: 'server',
    statement:
      'The server does not serve what it protects to a client whose certificate, asked for after the handshake, ' +
      'comes from another CA (the same subject, another key), and serves the good client; checked with a reference ' +
      'client that can answer a post-handshake request.',
    source: 'RFC 5280 §6.1.3; RFC 8446 §4.6.2',
  }),
  p({
    id: 'cauth.reject-eku-server-only',
    area: 'client-authentication',
    role: 'server',
    statement: 'The server rejects a client certificate whose extended key usage allows serverAuth only.',
    source: `${DOC} client_ext.cnf extendedKeyUsage=clientAuth; RFC 5280 §4.2.1.12`,
  }),
  p({
    id: 'cauth.strict-ca-list',
    area: 'client-authentication',
    role: 'server',
    statement:
      "The CA names the server's CertificateRequest lists (in clear in TLS 1.2; in TLS 1.3 read from its encrypted " +
      "flight with the reference client's key log) are only the CA that issues its clients' certificates: a list of " +
      "other CAs announces client trust wider than the deployment's. An empty list is not a finding.",
    source: 'RFC 5246 §7.4.4; RFC 8446 §4.2.4 (certificate_authorities is optional)',
  }),

  ...AUTHORIZATION,
  ...CHAINS,
  ...HOST_NAMES,
  ...CRYPTO,
  ...REVOCATION,
  ...RESUMPTION,
  ...RENEGOTIATION,
];

/** vitest test tags: every check carries its area, its level and its role. */
export function tagsOf(prop: Property): string[] {
  return [prop.area, prop.level, prop.role];
}

export function testTags(): Array<{ name: string; description: string }> {
  const areas = [...new Set(CATALOGUE.map((p) => p.area))];
  return [
    ...areas.map((a) => ({ name: a, description: `checks of the ${a} area` })),
    { name: 'baseline', description: 'the document and the RFC MUSTs' },
    { name: 'strict', description: 'SHOULDs and webpki-style strictness' },
    { name: 'server', description: "checks of the target's server" },
    { name: 'client', description: "checks of the target's client" },
  ];
}

const byId = new Map(CATALOGUE.map((prop) => [prop.id, prop]));

export function property(id: string): Property {
  const found = byId.get(id);
  if (!found) throw new Error(`'${id}' is not in the property catalogue (harness/catalogue.ts)`);
  return found;
}
