/**
 * The sentence each property rests on, quoted verbatim with its section: the level of a property
 * follows the kind of its sentence. baseline: a MUST, MUST NOT, REQUIRED or SHALL of an RFC, or
 * the tutorial's own promise or code; strict: a SHOULD or RECOMMENDED, or a policy rule (CA/Browser
 * Forum, webpki practice, a deployment's choice). tests/catalogue.test.ts holds every property to
 * it; docs/properties.md shows each quote.
 *
 * Keyed by property id; a property checked on both roles (`<id>.server`, `<id>.client`) may be
 * keyed by `<id>` alone.
 */

export type ClauseKind = 'document' | 'must' | 'should' | 'policy';

export interface Clause {
  /** Where the sentence stands: 'RFC 8446 §4.4.4', 'mtls-tutorial.md, "This ensures"'. */
  section: string;
  /** The sentence, verbatim (an elision is marked "[...]"). */
  text: string;
  kind: ClauseKind;
  /** Why this sentence carries this property, where that is not plain. */
  note?: string;
}

/** A sentence (or line of code) of the tutorial itself, where `where` is its place in it. */
const tutorial = (where: string, text: string): Clause => ({
  section: `mtls-tutorial.md, ${where}`,
  text,
  kind: 'document',
});
const DOC_CONFIDENTIALITY = tutorial('"This ensures"', '1. `Confidentiality` : Data is encrypted');
const DOC_INTEGRITY = tutorial('"This ensures"', '2. `Integrity` : Data is not tampered.');
const DOC_AUTHENTICATION = tutorial(
  '"This ensures"',
  '3. `Authentication` : Identities of parties can be verified using certificates.',
);
const DOC_CERT_REQUIRED = tutorial('server.py', 'context.verify_mode = ssl.CERT_REQUIRED');
const PATH_VALIDATION: Clause = {
  section: 'RFC 5280 §6.1',
  text:
    'A conforming implementation MUST include an X.509 path processing procedure that is functionally ' +
    'equivalent to the external behavior of this algorithm.',
  kind: 'must',
};
const BASIC_INFO: Clause = {
  section: 'RFC 5280 §6.1.3 (a)',
  text:
    'The certificate MUST satisfy each of the following: (1) The signature on the certificate can be verified ' +
    'using working_public_key_algorithm, the working_public_key, and the working_public_key_parameters. (2) The ' +
    'certificate validity period includes the current time. [...]',
  kind: 'must',
};
const BASIC_CONSTRAINTS: Clause = {
  section: 'RFC 5280 §4.2.1.9',
  text:
    'If the basic constraints extension is not present in a version 3 certificate, or the extension is present ' +
    'but the cA boolean is not asserted, then the certified public key MUST NOT be used to verify certificate ' +
    'signatures.',
  kind: 'must',
};
const EKU: Clause = {
  section: 'RFC 5280 §4.2.1.12',
  text: 'If the extension is present, then the certificate MUST only be used for one of the purposes indicated.',
  kind: 'must',
};
const HTTPS_IDENTITY: Clause = {
  section: 'RFC 9110 §4.3.4',
  text:
    'In general, a client MUST verify the service identity using the verification process defined in Section 6 ' +
    "of [RFC6125]. The client MUST construct a reference identity from the service's host: if the host is a literal " +
    'IP address (Section 4.3.5), the reference identity is an IP-ID, otherwise the host is a name and the reference ' +
    'identity is a DNS-ID.',
  kind: 'must',
  note:
    'An IP-ID matches only an iPAddress SAN, a DNS-ID only a dNSName SAN (RFC 9525 §6.3, §6.4); the same rule ' +
    'holds for any protocol whose client verifies the name it dials.',
};
const CN_IGNORED: Clause = {
  section: 'RFC 6125 §6.4.4',
  text:
    'As noted, a client MUST NOT seek a match for a reference identifier of CN-ID if the presented identifiers ' +
    'include a DNS-ID, SRV-ID, URI-ID, or any application-specific identifier types supported by the client.',
  kind: 'must',
};
const WILDCARD: Clause = {
  section: 'RFC 9525 §6.3',
  text:
    'If the technology specification supports wildcards, then the client MUST match the reference identifier ' +
    'against a presented identifier whose DNS domain name portion contains the wildcard character "*" in a label ' +
    'provided these requirements are met: [...] A wildcard in a presented identifier can only match one label in a ' +
    'reference identifier.',
  kind: 'must',
};
const REFERENCE_IDENTIFIERS: Clause = {
  section: 'RFC 9525 §6.1.1',
  text:
    'The client MUST construct a list of acceptable reference identifiers and MUST do so independently of the ' +
    'identifiers presented by the server.',
  kind: 'must',
  note:
    "Applied to client identities: the server's `admits` is its list of reference identifiers (SPIFFE " +
    'X.509-SVID authorizes on the URI SAN the same way).',
};
const REVOCATION_POLICY = (text: string, section: string): Clause => ({
  section,
  text,
  kind: 'policy',
  note:
    "Revocation is the deployment's choice: the tutorial loads no CRL, so it holds where a role is given CRLs " +
    'and told to use them.',
});

export const CLAUSES: Record<string, Clause> = {
  'conf.wire-encrypted': DOC_CONFIDENTIALITY,
  'conf.reject-starttls-downgrade': {
    ...DOC_CONFIDENTIALITY,
    note:
      'A client configured to require TLS (psql sslmode=require or stricter; a MariaDB client with --ssl) that ' +
      'carries on in clear when the server declines TLS sends its data unencrypted. RFC 9325 §3.2 asks for strict ' +
      'TLS over a dynamic upgrade; a target that means to fall back waives this check with its reason.',
  },
  'conf.aead-fs': {
    section: 'RFC 9325 §4.1',
    text:
      'Implementations MUST support and prefer to negotiate cipher suites offering forward secrecy, such as ' +
      'those in the Ephemeral Diffie-Hellman and Elliptic Curve Ephemeral Diffie-Hellman ("DHE" and "ECDHE") families.',
    kind: 'must',
    note:
      'With the tutorial\'s "Data is encrypted": no NULL cipher, TLS 1.2 or later (RFC 8996), forward secrecy. ' +
      'An AEAD cipher is only RECOMMENDED (RFC 9325 §4.2): crypto.reject-cbc-suites (strict) judges it.',
  },
  'integ.app-tamper': {
    section: 'RFC 8446 §5.2',
    text: 'If the decryption fails, the receiver MUST terminate the connection with a "bad_record_mac" alert.',
    kind: 'must',
    note: DOC_INTEGRITY.text,
  },
  'integ.handshake-tamper': {
    section: 'RFC 8446 §4.4.4',
    text:
      'Recipients of Finished messages MUST verify that the contents are correct and if incorrect MUST ' +
      'terminate the connection with a "decrypt_error" alert.',
    kind: 'must',
    note: DOC_INTEGRITY.text,
  },

  'sauth.accept-good': {
    ...tutorial('client.py', 'ssl.Purpose.SERVER_AUTH, cafile="ca_cert.pem"'),
    note: 'The good exchange: the client verifies the server the CA signed.',
  },
  'sauth.reject-foreign-ca': BASIC_INFO,
  'sauth.reject-self-signed': BASIC_INFO,
  'sauth.reject-expired': BASIC_INFO,
  'sauth.reject-not-yet-valid': BASIC_INFO,
  'sauth.reject-dns-mismatch': HTTPS_IDENTITY,
  'sauth.reject-dns-only-for-ip': HTTPS_IDENTITY,
  'sauth.reject-eku-client-only': EKU,

  'cauth.accept-good': DOC_CERT_REQUIRED,
  'cauth.reject-none': DOC_CERT_REQUIRED,
  'cauth.reject-foreign-ca': BASIC_INFO,
  'cauth.reject-none-post-handshake': {
    ...DOC_CERT_REQUIRED,
    note:
      'A certificate asked for after the handshake (RFC 8446 §4.6.2: "the server MAY request client authentication ' +
      'at any time after the handshake has completed") is the same requirement, placed on a resource.',
  },
  'cauth.reject-foreign-ca-post-handshake': {
    ...BASIC_INFO,
    note: 'The certificate a client presents after the handshake is verified as one presented in it.',
  },
  'cauth.reject-self-signed': BASIC_INFO,
  'cauth.reject-expired': BASIC_INFO,
  'cauth.reject-not-yet-valid': BASIC_INFO,
  'cauth.reject-eku-server-only': EKU,
  'cauth.strict-ca-list': {
    section: 'RFC 8446 §4.2.4',
    text:
      'The "certificate_authorities" extension is used to indicate the certificate authorities (CAs) which an ' +
      'endpoint supports and which SHOULD be used by the receiving endpoint to guide certificate selection.',
    kind: 'should',
    note:
      "Naming CAs beyond the deployment's announces client trust wider than it; RFC 5246 §7.4.4 carries the " +
      'same list in TLS 1.2.',
  },

  'authz.accept-admitted': DOC_AUTHENTICATION,
  'authz.reject-other-identity': REFERENCE_IDENTIFIERS,
  'authz.reject-admitted-in-cn-only': CN_IGNORED,
  'authz.reject-admitted-as-other-san-type': REFERENCE_IDENTIFIERS,

  'chain.accept-intermediate': {
    ...DOC_AUTHENTICATION,
    note:
      'A chain through an intermediate the peer sends is how certificates are verified in practice (RFC 8446 ' +
      '§4.4.2, RFC 5246 §7.4.2).',
  },
  'chain.reject-missing-intermediate': PATH_VALIDATION,
  'chain.reject-issuer-not-ca': BASIC_CONSTRAINTS,
  'chain.reject-issuer-without-basic-constraints': BASIC_CONSTRAINTS,
  'chain.reject-pathlen-exceeded': {
    ...PATH_VALIDATION,
    note:
      'The algorithm decrements max_path_length at every CA that is not self-issued and stops at zero (§6.1.4 ' +
      '(l), (m)).',
  },
  'chain.reject-intermediate-expired': BASIC_INFO,
  'chain.reject-issuer-without-keycertsign': {
    ...PATH_VALIDATION,
    note: '"If a key usage extension is present, verify that the keyCertSign bit is set." (§6.1.4 (n))',
  },
  'chain.reject-name-constraints': {
    section: 'RFC 5280 §4.2.1.10',
    text:
      'The name constraints extension, which MUST be used only in a CA certificate, indicates a name space ' +
      'within which all subject names in subsequent certificates in a certification path MUST be located.',
    kind: 'must',
  },
  'chain.strict-reject-ca-leaf': {
    section: 'RFC 5280 §4.2.1.9',
    text: 'The cA boolean indicates whether the certified public key may be used to verify certificate signatures.',
    kind: 'policy',
    note:
      'RFC 5280 does not forbid a CA:TRUE leaf; webpki verifiers refuse a CA certificate as an end entity, and ' +
      'the CA/Browser Forum requires cA FALSE in subscriber certificates.',
  },

  'host.reject-wildcard-bare-domain': WILDCARD,
  'host.reject-wildcard-two-labels': WILDCARD,
  'host.reject-wildcard-tld': {
    section: 'CA/Browser Forum Baseline Requirements §3.2.2.6',
    text:
      'If a wildcard would fall within the label immediately to the left of a registry-controlled or public ' +
      'suffix, CAs MUST refuse issuance unless the applicant proves its rightful control of the entire Domain ' +
      'Namespace.',
    kind: 'policy',
    note:
      'A rule for CAs issuing certificates, not for clients matching them; RFC 6125 and RFC 9525 say nothing of ' +
      'top-level domains. Browsers refuse such a match; Go follows RFC 9525.',
  },
  'host.reject-ipv4-in-dns-san': HTTPS_IDENTITY,
  'host.reject-ipv6-in-dns-san': HTTPS_IDENTITY,
  'host.reject-dns-only-for-ipv6': HTTPS_IDENTITY,
  'host.reject-uri-san-only': {
    ...HTTPS_IDENTITY,
    note: 'Dialing a name, the reference identity is a DNS-ID; a URI SAN is a URI-ID, another type.',
  },
  'host.reject-cn-when-san-present': CN_IGNORED,
  'host.strict-reject-cn-only': {
    section: 'RFC 9110 §4.3.4',
    text: 'A reference identity of type CN-ID MUST NOT be used by clients.',
    kind: 'policy',
    note:
      'A MUST for HTTP clients; other protocols under RFC 6125 §6.4.4 still MAY fall back to the CN as a last ' +
      'resort, so the suite holds it as strict for every client.',
  },

  'crypto.reject-weak-rsa-key': {
    section: 'RFC 9325 §4.5',
    text:
      'When using RSA, servers MUST authenticate using certificates with at least a 2048-bit modulus for the ' +
      'public key.',
    kind: 'policy',
    note:
      "A MUST on the certificates a server uses, not on what a verifier accepts: refusing a peer's RSA-1024 " +
      'certificate is policy (NIST SP 800-131A; OpenSSL security level 2).',
  },
  'crypto.reject-sha1-signature': {
    section: 'RFC 8446 §4.4.2.4',
    text:
      'SHA-1 is deprecated, and it is RECOMMENDED that any endpoint receiving any certificate which it would ' +
      'need to validate using any signature algorithm using a SHA-1 hash abort the handshake with a ' +
      '"bad_certificate" alert.',
    kind: 'should',
  },
  'crypto.reject-tls1.0': {
    section: 'RFC 8996 §4',
    text: 'TLS 1.0 MUST NOT be used. Negotiation of TLS 1.0 from any version of TLS MUST NOT be permitted.',
    kind: 'must',
  },
  'crypto.reject-tls1.1': {
    section: 'RFC 8996 §5',
    text: 'TLS 1.1 MUST NOT be used. Negotiation of TLS 1.1 from any version of TLS MUST NOT be permitted.',
    kind: 'must',
  },
  'crypto.reject-null-suites': {
    section: 'RFC 9325 §4.1',
    text: 'Implementations MUST NOT negotiate the cipher suites with NULL encryption.',
    kind: 'must',
  },
  'crypto.reject-rc4-suites.server': {
    section: 'RFC 7465 §2',
    text:
      'TLS servers MUST NOT select an RC4 cipher suite when a TLS client sends such a cipher suite in the ' +
      'ClientHello message.',
    kind: 'must',
  },
  'crypto.reject-rc4-suites.client': {
    section: 'RFC 7465 §2',
    text: 'TLS clients MUST NOT include RC4 cipher suites in the ClientHello message.',
    kind: 'must',
  },
  'crypto.reject-3des-suites': {
    section: 'RFC 9325 §4.1',
    text:
      'Implementations SHOULD NOT negotiate cipher suites that use algorithms offering less than 128 bits of ' +
      'security.',
    kind: 'should',
    note: '3DES offers 112 bits.',
  },
  'crypto.reject-cbc-suites': {
    section: 'RFC 9325 §4.2',
    text:
      'Given the foregoing considerations, implementation and deployment of the following cipher suites is ' +
      'RECOMMENDED: TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 [...]',
    kind: 'should',
    note:
      'The RECOMMENDED suites are all AEAD; a CBC suite is outside them (and open to padding-oracle attacks ' +
      'without encrypt_then_mac).',
  },
  'crypto.reject-static-rsa-suites': {
    section: 'RFC 9325 §4.1',
    text: 'Implementations SHOULD NOT negotiate cipher suites based on RSA key transport, a.k.a. "static RSA".',
    kind: 'should',
  },

  'revoke.strict-reject-revoked': REVOCATION_POLICY(
    'At the current time, the certificate is not revoked. This may be determined by obtaining the appropriate CRL ' +
      '(Section 6.3), by status information, or by out-of-band mechanisms.',
    'RFC 5280 §6.1.3 (a)(3)',
  ),
  'revoke.strict-reject-revoked-intermediate': REVOCATION_POLICY(
    'At the current time, the certificate is not revoked. This may be determined by obtaining the appropriate CRL ' +
      '(Section 6.3), by status information, or by out-of-band mechanisms.',
    'RFC 5280 §6.1.3 (a)(3)',
  ),
  'revoke.strict-reject-expired-crl': REVOCATION_POLICY(
    'After processing such CRLs, if the revocation status has still not been determined, then return the ' +
      'cert_status UNDETERMINED.',
    'RFC 5280 §6.3.3',
  ),
  'revoke.strict-reject-bad-crl-signature': REVOCATION_POLICY(
    'After processing such CRLs, if the revocation status has still not been determined, then return the ' +
      'cert_status UNDETERMINED.',
    'RFC 5280 §6.3.3',
  ),

  'resume.server-reject-after-ca-change': {
    ...DOC_AUTHENTICATION,
    note:
      'A session made under the old CA carries no certificate the new CA issued: resuming it lets a client in ' +
      'that no trusted certificate verifies.',
  },
  'resume.server-reject-unauthenticated-session': {
    ...DOC_CERT_REQUIRED,
    note: 'A resumed session of a client that showed no trusted certificate lets it in without one.',
  },
  'resume.server-reject-open-name-session': {
    ...DOC_CERT_REQUIRED,
    note: 'The name requiring certificates must not be entered on a session made without one (nginx CVE-2025-23419).',
  },
  'resume.client-reject-after-ca-change': {
    ...DOC_AUTHENTICATION,
    note: 'After the rotation, only a certificate the new CA issued verifies the server; a resumed session shows none.',
  },
  'resume.client-reject-other-name': {
    section: 'RFC 8446 §4.6.1',
    text:
      'Clients MUST only resume if the new SNI value is valid for the server certificate presented in the ' +
      'original session and SHOULD only resume if the SNI value matches the one used in the original session.',
    kind: 'must',
  },

  'reneg.strict-limit-client-initiated': {
    section: 'RFC 5746 §4.4',
    text:
      'Servers SHOULD NOT allow clients to renegotiate without using this extension. Many servers can mitigate ' +
      'this attack simply by refusing to renegotiate at all.',
    kind: 'policy',
    note:
      'Refusing or limiting client-initiated renegotiation also stops a handshake-per-request denial of service ' +
      '(CVE-2011-1473); testssl.sh reports it.',
  },
};

/** The clause of a property: its own, or its base id's (`<id>` for `<id>.server` and `<id>.client`). */
export function clauseOf(id: string): Clause | undefined {
  return CLAUSES[id] ?? CLAUSES[id.replace(/\.(server|client)$/, '')];
}

/** The words that make a sentence of each kind what it is. */
export const KIND_WORDS: Record<ClauseKind, RegExp | undefined> = {
  document: undefined,
  must: /\b(MUST|MUST NOT|REQUIRED|SHALL|SHALL NOT)\b/,
  should: /\b(SHOULD|SHOULD NOT|RECOMMENDED|NOT RECOMMENDED)\b/,
  policy: undefined,
};

/** The level a clause of this kind carries. */
export const LEVEL_OF: Record<ClauseKind, 'baseline' | 'strict'> = {
  document: 'baseline',
  must: 'baseline',
  should: 'strict',
  policy: 'strict',
};
