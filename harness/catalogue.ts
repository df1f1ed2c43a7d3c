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
import type { SERVER_DNS, SERVER_IP, SERVER_IPV6 } from '../fixtures/profiles.js';

export type Area = 'confidentiality' | 'integrity' | 'server-authentication' | 'client-authentication'
  | 'authorization' | 'chains' | 'host-names' | 'crypto-policy' | 'revocation' | 'resumption' | 'renegotiation';
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
  /** The sentence it rests on, verbatim (harness/clauses.ts): its kind decides the level. */
  clause: Clause;
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
/** A property; its level is its clause's (levels follow their sources). */
function p(id: string, area: Area, role: Role, statement: string, source: string, dial?: DialNeed, more: Partial<Property> = {}): Property {
  const clause = clauseOf(id);
  if (!clause) throw new Error(`property '${id}' has no clause in harness/clauses.ts: quote the sentence it rests on`);
  return { id, area, role, level: LEVEL_OF[clause.kind], statement, source, ...(dial ? { dial } : {}), ...more, clause, ...(MOVED[id] ? { movedFrom: MOVED[id] } : {}) };
}
const TLS12_ONLY = { versions: ['TLSv1.2'] as TlsVersion[] };

/** A property checked for both roles: `<id>.server` (the target's server verifies) and `<id>.client`. */
function both(id: string, area: Area, statement: (verifier: string, peer: string) => string, source: string, more: Partial<Property> = {}): Property[] {
  return [
    p(`${id}.server`, area, 'server', statement('server', 'client'), source, undefined, more),
    p(`${id}.client`, area, 'client', statement('client', 'server'), source, undefined, more),
  ];
}

const ADMITS = { needsAdmits: true } as const;
const AUTHZ = 'RFC 9525 §6; SPIFFE X.509-SVID §2';
/** Authorization: among all the identities the CA signs, the server admits only those it declares (`admits`). */
const AUTHORIZATION: Property[] = [
  p('authz.accept-admitted', 'authorization', 'server',
    'The server accepts a client certificate for an identity it admits, and its application sees that identity.', AUTHZ, undefined, ADMITS),
  p('authz.reject-other-identity', 'authorization', 'server',
    'The server rejects a client certificate from its trusted CA for an identity it does not admit (same key type, EKU and issuer, another SAN).', AUTHZ, undefined, ADMITS),
  p('authz.reject-admitted-in-cn-only', 'authorization', 'server',
    'The server rejects a client certificate whose only mention of an admitted identity is its CN (its SANs name another).', `${AUTHZ}; RFC 6125 §6.4.4`, undefined, ADMITS),
  p('authz.reject-admitted-as-other-san-type', 'authorization', 'server',
    'The server rejects a client certificate that carries an admitted name in another SAN type (a URI SAN where a DNS one is admitted, or the reverse).',
    `${AUTHZ}; Envoy CVE-2022-21656`, undefined, ADMITS),
];

const PATH = 'RFC 5280 §6.1';
const CHAINS: Property[] = [
  ...both('chain.accept-intermediate', 'chains', (v, peer) => `The ${v} accepts a ${peer} certificate issued by an intermediate CA when the ${peer} sends the intermediate.`,
    `RFC 8446 §4.4.2, RFC 5246 §7.4.2; ${PATH}`),
  ...both('chain.reject-missing-intermediate', 'chains', (v, peer) => `The ${v} rejects a ${peer} certificate issued by an intermediate CA it does not trust when the ${peer} does not send the intermediate.`, PATH),
  ...both('chain.reject-issuer-not-ca', 'chains', (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate has basicConstraints CA:FALSE.`, `RFC 5280 §4.2.1.9, §6.1.4 (k)`),
  ...both('chain.reject-issuer-without-basic-constraints', 'chains', (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate has no basicConstraints extension.`, `RFC 5280 §4.2.1.9, §6.1.4 (k)`),
  ...both('chain.reject-pathlen-exceeded', 'chains', (v, peer) => `The ${v} rejects a ${peer} chain with a CA below an intermediate whose pathLenConstraint is 0.`, `RFC 5280 §4.2.1.9, §6.1.4 (l), (m)`),
  ...both('chain.reject-intermediate-expired', 'chains', (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate has expired.`, `RFC 5280 §6.1.3 (a)(2)`),
  ...both('chain.reject-issuer-without-keycertsign', 'chains', (v, peer) => `The ${v} rejects a ${peer} chain whose intermediate's keyUsage lacks keyCertSign.`, `RFC 5280 §4.2.1.3, §6.1.4 (n)`),
  ...both('chain.reject-name-constraints', 'chains', (v, peer) => `The ${v} rejects a ${peer} certificate whose names lie outside its issuer's permitted DNS subtree.`, `RFC 5280 §4.2.1.10, §6.1.3 (b)`),
  ...both('chain.strict-reject-ca-leaf', 'chains', (v, peer) => `The ${v} rejects a ${peer} end-entity certificate with basicConstraints CA:TRUE.`,
    'CA/Browser Forum Baseline Requirements §7.1.2.7.8; webpki'),
];

const HOST = 'RFC 6125 §6.4';
const HOST_NAMES: Property[] = [
  p('host.reject-wildcard-bare-domain', 'host-names', 'client', 'Dialing example.test, the client rejects a server certificate for *.example.test only: a wildcard does not match the bare domain.', `${HOST}.3`, 'chosen'),
  p('host.reject-wildcard-two-labels', 'host-names', 'client', 'Dialing a.b.example.test, the client rejects a server certificate for *.example.test only: a wildcard matches one label.', `${HOST}.3`, 'chosen'),
  p('host.reject-wildcard-tld', 'host-names', 'client', 'Dialing example.test, the client rejects a server certificate for *.test: no wildcard directly under a top-level domain (the public-suffix rule of browsers and the CA/Browser Forum; RFC 9525 has none).', 'CA/Browser Forum BR §3.2.2.6 (a rule for CAs); browsers\' public-suffix matching', 'chosen'),
  p('host.reject-ipv4-in-dns-san', 'host-names', 'client', 'Dialing 127.0.0.1, the client rejects a server certificate that carries 127.0.0.1 as a DNS SAN and no IP SAN.', 'RFC 6125 §1.7.2, RFC 5280 §4.2.1.6', '127.0.0.1'),
  p('host.reject-ipv6-in-dns-san', 'host-names', 'client', 'Dialing ::1, the client rejects a server certificate that carries ::1 as a DNS SAN and no IP SAN.', 'RFC 6125 §1.7.2, RFC 5280 §4.2.1.6', '::1'),
  p('host.reject-dns-only-for-ipv6', 'host-names', 'client', 'Dialing ::1, the client rejects a server certificate without an IP SAN (DNS SAN only).', 'RFC 6125 §1.7.2, RFC 5280 §4.2.1.6', '::1'),
  p('host.reject-uri-san-only', 'host-names', 'client', 'Dialing localhost, the client rejects a server certificate whose only SAN is the URI https://localhost/.', `${HOST}; RFC 9525 §6.2`, 'localhost'),
  p('host.reject-cn-when-san-present', 'host-names', 'client', 'Dialing localhost, the client rejects a server certificate with CN=localhost whose SANs name other identities: CN is ignored when a SAN is present.', `${HOST}.4; RFC 9525 §6.3`, 'localhost'),
  p('host.strict-reject-cn-only', 'host-names', 'client', 'Dialing localhost, the client rejects a server certificate without SANs whose CN is localhost.', 'RFC 9525 §6.3; CA/Browser Forum BR §7.1.2.7.12', 'localhost'),
];

/** A suite family: the server must not select it when offered only that; the client must not offer it (offering is agreeing). */
function suites(id: string, family: string, source: string, more: Partial<Property>): Property[] {
  return [
    p(`${id}.server`, 'crypto-policy', 'server', `The server does not select ${family} when the client offers nothing else.`, source, undefined, more),
    p(`${id}.client`, 'crypto-policy', 'client', `The client does not offer ${family} in its ClientHello.`, source, undefined, more),
  ];
}

/**
 * Revocation: the verifier is given the CRLs of the run's CAs (Node `crl`, a program's {crl}).
 * Strict: the document's setup loads no CRL, so its default target holds these only as warnings.
 */
const REVOCATION: Property[] = [
  ...both('revoke.strict-reject-revoked', 'revocation',
    (v, peer) => `The ${v}, given its CA's CRL, rejects a ${peer} certificate the CRL lists as revoked.`,
    'RFC 5280 §5, §6.3'),
  ...both('revoke.strict-reject-revoked-intermediate', 'revocation',
    (v, peer) => `The ${v}, given the CRLs of the whole chain, rejects a ${peer} chain whose intermediate CA the root's CRL lists as revoked.`,
    'RFC 5280 §6.3 (every certificate of the path)'),
  ...both('revoke.strict-reject-expired-crl', 'revocation',
    (v, peer) => `The ${v}, given for its CA only a CRL past its nextUpdate, rejects the good ${peer} certificate (not listed in it) rather than accept it unchecked.`,
    'RFC 5280 §6.3.3 (a CRL past its nextUpdate cannot decide)'),
  ...both('revoke.strict-reject-bad-crl-signature', 'revocation',
    (v, peer) => `The ${v}, given for its CA only a CRL whose signature does not verify, rejects the good ${peer} certificate (not listed in it) rather than accept it unchecked.`,
    'RFC 5280 §6.3.3 (f)'),
];

/** How many renegotiations the reference client asks for in a row: well past Node's limit (tls.CLIENT_RENEG_LIMIT, 3 in 10 minutes). */
export const RENEGOTIATIONS = 10;

/** Renegotiation (TLS 1.2 only): a handshake inside a connection, on the client's say-so. */
const RENEGOTIATION: Property[] = [
  p('reneg.strict-limit-client-initiated', 'renegotiation', 'server',
    `The server refuses client-initiated renegotiation, or limits it: a client that renegotiates ${RENEGOTIATIONS} times in a row on one connection is stopped before its data is served. Each renegotiation costs the server a handshake (a denial of service, CVE-2011-1473); OpenSSL 3 servers refuse it by default, Node's allow 3 in 10 minutes.`,
    'RFC 5746 §4.4 (servers may refuse renegotiation); CVE-2011-1473; testssl.sh "client-initiated renegotiation"', undefined, TLS12_ONLY),
];

/** Resumption: a resumed handshake carries no certificate, so what was checked in the full one must still hold. */
const RESUMPTION: Property[] = [
  p('resume.server-reject-after-ca-change', 'resumption', 'server',
    "After the server's client CA is rotated (restarted trusting another CA, its ticket-key configuration as it is), a session a client made under the old CA does not resume: the client must show a certificate the new CA issued.",
    'RFC 8446 §4.6.1 (a PSK is bound to the context it was made in); Go CVE-2025-68121, Envoy CVE-2022-21654 (sessions resumed after the trust changed)'),
  p('resume.server-reject-unauthenticated-session', 'resumption', 'server',
    'A session the server gave a client it did not authenticate (one with no certificate, or with a certificate it refused) does not resume into an authenticated connection: offered later, with no certificate, it is refused.',
    'RFC 8446 §4.6.1 (a resumed connection carries the original one\'s authentication); RFC 5246 §7.4.1.2'),
  p('resume.server-reject-open-name-session', 'resumption', 'server',
    'On a server with an open name and a name requiring client certificates on one address, a session made on the open name without a certificate does not resume into the name requiring one. Needs `names` with an open name; n/a otherwise.',
    'RFC 6066 §3 (a resumed session keeps its server_name); nginx CVE-2025-23419 (TLS 1.3 resumption across server blocks bypasses ssl_verify_client)'),
  p('resume.client-reject-after-ca-change', 'resumption', 'client',
    'After the client\'s CA is rotated (reconfigured trusting another CA), it does not resume a session made with a server it verified under the old CA: the server must show a certificate the new CA issued.',
    'RFC 8446 §4.6.1; Go CVE-2025-68121 (resumption after RootCAs changed)'),
  p('resume.client-reject-other-name', 'resumption', 'client',
    'The client does not resume, on a connection to another name, a session it made with a server verified for one name: a resumed handshake carries no certificate, so the other name would never be checked.',
    "RFC 8446 §4.6.1, RFC 5077 §3.4 (a session is bound to the server it was made with); Node's tls skips checkServerIdentity on a resumed session", 'chosen'),
];

const CRYPTO: Property[] = [
  ...both('crypto.reject-weak-rsa-key', 'crypto-policy', (v, peer) => `The ${v} rejects a ${peer} certificate for an RSA-1024 key.`, 'RFC 9325 §4.4 (SHOULD); NIST SP 800-131A Rev. 2'),
  ...both('crypto.reject-sha1-signature', 'crypto-policy', (v, peer) => `The ${v} rejects a ${peer} certificate signed with SHA-1.`, 'RFC 8446 §4.4.2.4 (RECOMMENDED); CA/Browser Forum BR §7.1.3.2'),
  ...both('crypto.reject-tls1.0', 'crypto-policy', (v, peer) => `The ${v} refuses TLS 1.0 when the ${peer} offers nothing newer.`, 'RFC 8996 §4', TLS12_ONLY),
  ...both('crypto.reject-tls1.1', 'crypto-policy', (v, peer) => `The ${v} refuses TLS 1.1 when the ${peer} offers nothing newer.`, 'RFC 8996 §5', TLS12_ONLY),
  ...suites('crypto.reject-null-suites', 'a NULL-encryption suite', 'RFC 9325 §4.1', TLS12_ONLY),
  ...suites('crypto.reject-rc4-suites', 'an RC4 suite', 'RFC 7465 §2', TLS12_ONLY),
  ...suites('crypto.reject-3des-suites', 'a 3DES suite (under 128-bit security)', 'RFC 9325 §4.1 (SHOULD NOT)', TLS12_ONLY),
  ...suites('crypto.reject-cbc-suites', 'a CBC-mode suite (AES-CBC with ECDHE or DHE)', 'RFC 9325 §4.2 (SHOULD NOT)', TLS12_ONLY),
  p('crypto.reject-static-rsa-suites.server', 'crypto-policy', 'server', 'The server does not select static RSA key exchange (TLS_RSA_WITH_AES_*_GCM/CCM) when the client offers only that.',
    'RFC 9325 §4.1 (SHOULD NOT)', undefined, { ...TLS12_ONLY, keys: ['rsa-2048'], keysReason: 'static RSA key exchange needs an RSA server key' }),
  p('crypto.reject-static-rsa-suites.client', 'crypto-policy', 'client', 'The client does not offer static RSA key exchange (TLS_RSA_WITH_AES_*_GCM/CCM) in its ClientHello.', 'RFC 9325 §4.1 (SHOULD NOT)', undefined, TLS12_ONLY),
];

export const CATALOGUE: readonly Property[] = [
  p('conf.wire-encrypted.server', 'confidentiality', 'server',
    'Application data to and from the server never appears in clear on the wire; every byte on the wire is inside a TLS record.',
    `${DOC} "Confidentiality: Data is encrypted"`),
  p('conf.wire-encrypted.client', 'confidentiality', 'client',
    'Application data to and from the client never appears in clear on the wire; every byte on the wire is inside a TLS record.',
    `${DOC} "Confidentiality: Data is encrypted"`),
  p('conf.aead-fs.server', 'confidentiality', 'server',
    'Offered every suite, strongest first, the server negotiates TLS 1.2 or later, encrypting (no NULL cipher), with a forward-secret key exchange. (Whether the cipher is an AEAD is noted; an AEAD is RECOMMENDED, not required: crypto.reject-cbc-suites judges it.)',
    `${DOC} "Confidentiality"; RFC 9325 §4.1; RFC 8996`),
  p('conf.aead-fs.client', 'confidentiality', 'client',
    'Offered every suite, strongest first, the client negotiates TLS 1.2 or later, encrypting (no NULL cipher), with a forward-secret key exchange. (Whether the cipher is an AEAD is noted; an AEAD is RECOMMENDED, not required: crypto.reject-cbc-suites judges it.)',
    `${DOC} "Confidentiality"; RFC 9325 §4.1; RFC 8996`),

  p('integ.app-tamper.server', 'integrity', 'server',
    'A flipped bit in an application-data record from the client makes the server abort; the altered bytes never reach its application.',
    `${DOC} "Integrity: Data is not tampered"; RFC 8446 §5.2, RFC 5246 §6.2.3`),
  p('integ.app-tamper.client', 'integrity', 'client',
    'A flipped bit in an application-data record from the server makes the client abort; the altered bytes never reach its application.',
    `${DOC} "Integrity: Data is not tampered"; RFC 8446 §5.2, RFC 5246 §6.2.3`),
  p('integ.handshake-tamper.server', 'integrity', 'server',
    'An altered ClientHello makes the handshake with the server fail; no application data crosses.',
    `${DOC} "Integrity"; RFC 8446 §4.4.4, RFC 5246 §7.4.9`),
  p('integ.handshake-tamper.client', 'integrity', 'client',
    'An altered ServerHello makes the handshake of the client fail; no application data crosses.',
    `${DOC} "Integrity"; RFC 8446 §4.4.4, RFC 5246 §7.4.9`),

  p('sauth.accept-good', 'server-authentication', 'client',
    'The client accepts the server certificate issued by its CA and sees the server identity.',
    `${DOC} client.py (cafile=ca_cert.pem, server_hostname)`),
  p('sauth.reject-foreign-ca', 'server-authentication', 'client',
    'The client rejects a server certificate with the same subject and SANs issued by a CA it does not trust.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('sauth.reject-self-signed', 'server-authentication', 'client',
    'The client rejects a self-signed server certificate with the same subject and SANs.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('sauth.reject-expired', 'server-authentication', 'client',
    'The client rejects an expired server certificate.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('sauth.reject-not-yet-valid', 'server-authentication', 'client',
    'The client rejects a server certificate that is not yet valid.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('sauth.reject-dns-mismatch', 'server-authentication', 'client',
    'Dialing a DNS name, the client rejects a server certificate whose DNS SAN names another host.',
    `${DOC} server_hostname; RFC 6125 §6.4, RFC 9110 §4.3.4`, 'dns'),
  p('sauth.reject-dns-only-for-ip', 'server-authentication', 'client',
    'Dialing an IP address, the client rejects a server certificate without an IP SAN for it (DNS SAN only).',
    `${DOC} server_hostname="127.0.0.1"; RFC 6125 §1.7.2, RFC 5280 §4.2.1.6`, 'ip'),
  p('sauth.reject-eku-client-only', 'server-authentication', 'client',
    'The client rejects a server certificate whose extended key usage allows clientAuth only.',
    `${DOC} server_ext.cnf extendedKeyUsage=serverAuth; RFC 5280 §4.2.1.12`),

  p('cauth.accept-good', 'client-authentication', 'server',
    'The server accepts the client certificate issued by its CA and hands the verified client identity to the application.',
    `${DOC} server.py (CERT_REQUIRED, getpeercert)`),
  p('cauth.reject-none', 'client-authentication', 'server',
    'The server rejects a client that presents no certificate; no application data from it is processed.',
    `${DOC} server.py verify_mode = ssl.CERT_REQUIRED`),
  p('cauth.reject-foreign-ca', 'client-authentication', 'server',
    'The server rejects a client certificate with the same subject and SANs issued by a CA it does not trust.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('cauth.reject-self-signed', 'client-authentication', 'server',
    'The server rejects a self-signed client certificate with the same subject and SANs.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('cauth.reject-expired', 'client-authentication', 'server',
    'The server rejects an expired client certificate.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('cauth.reject-not-yet-valid', 'client-authentication', 'server',
    'The server rejects a client certificate that is not yet valid.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('cauth.reject-eku-server-only', 'client-authentication', 'server',
    'The server rejects a client certificate whose extended key usage allows serverAuth only.',
    `${DOC} client_ext.cnf extendedKeyUsage=clientAuth; RFC 5280 §4.2.1.12`),
  p('cauth.strict-ca-list', 'client-authentication', 'server',
    "The CA names the server's CertificateRequest lists (in clear in TLS 1.2; in TLS 1.3 read from its encrypted flight with the reference client's key log) are only the CA that issues its clients' certificates: a list of other CAs announces client trust wider than the deployment's. An empty list is not a finding.",
    'RFC 5246 §7.4.4; RFC 8446 §4.2.4 (certificate_authorities is optional)', undefined),

  ...AUTHORIZATION,
  ...CHAINS,
  ...HOST_NAMES,
  ...CRYPTO,
  ...REVOCATION,
  ...RESUMPTION,
  ...RENEGOTIATION,
];

/**
 * Whether a property is about the server verifying client certificates: these are n/a for a
 * server name declared without client authentication (`names: { 'www': { clientAuth: 'none' } }`).
 */
export function judgesClientCertificates(prop: Property): boolean {
  if (prop.role !== 'server') return false;
  return prop.area === 'client-authentication' || prop.area === 'authorization' || prop.area === 'chains' || prop.area === 'revocation' || prop.area === 'resumption'
    || prop.id === 'crypto.reject-weak-rsa-key.server' || prop.id === 'crypto.reject-sha1-signature.server';
}

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
