/**
 * How to fix each property when it fails: one sentence of its own, and, where the setting is
 * known for certain, what to set in the stacks a team is likely to run. A stack whose setting is
 * not known is left out rather than guessed. The catalogue refuses a property without one.
 */

export const STACKS = [
  'node',
  'openssl',
  'nginx',
  'apache',
  'haproxy',
  'python',
  'go',
  'java',
  'curl',
  'postgres',
  'mysql',
] as const;
export type Stack = (typeof STACKS)[number];

export const STACK_NAMES: Record<Stack, string> = {
  node: 'Node',
  openssl: 'OpenSSL',
  nginx: 'nginx',
  apache: 'Apache',
  haproxy: 'HAProxy',
  python: 'Python',
  go: 'Go',
  java: 'Java',
  curl: 'curl',
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
};

export interface Remedy {
  /** What to change, in one or two sentences of this property's own. */
  fix: string;
  /** The setting per stack, where it is known for certain. */
  stacks: Partial<Record<Stack, string>>;
}

// A server that requires and verifies client certificates against its client CA only.
const REQUIRE_CLIENT_CERT: Remedy['stacks'] = {
  node: 'requestCert: true, rejectUnauthorized: true, ca: <client CA>',
  openssl: 's_server -Verify 1 -verify_return_error -CAfile <client CA>',
  nginx: 'ssl_verify_client on; ssl_client_certificate <client CA>;',
  apache: 'SSLVerifyClient require; SSLCACertificateFile <client CA>',
  haproxy: 'bind ... ssl crt <cert> ca-file <client CA> verify required',
  python: 'ctx.verify_mode = ssl.CERT_REQUIRED; ctx.load_verify_locations(cafile=<client CA>)',
  go: 'tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: <pool of the client CA>}',
  java: 'sslParameters.setNeedClientAuth(true), a trust store holding only the client CA',
};

// A client that verifies the server's certificate and name against its own CA.
const VERIFY_SERVER: Remedy['stacks'] = {
  node:
    'keep rejectUnauthorized: true (the default), pass ca: <server CA> and servername; no checkServerIdentity ' +
    'that returns undefined',
  openssl: 's_client -verify_return_error -CAfile <server CA> -verify_hostname <name> (or -verify_ip <address>)',
  nginx: 'proxy_ssl_verify on; proxy_ssl_trusted_certificate <server CA>; proxy_ssl_name <name>;',
  python: 'ssl.create_default_context(cafile=<server CA>), keeping check_hostname = True and CERT_REQUIRED',
  go: 'tls.Config{RootCAs: <pool of the server CA>, ServerName: <name>}, never InsecureSkipVerify',
  java: 'a trust store holding the server CA, and sslParameters.setEndpointIdentificationAlgorithm("HTTPS")',
  curl: '--cacert <server CA>, never -k/--insecure (libcurl: CURLOPT_SSL_VERIFYPEER 1, CURLOPT_SSL_VERIFYHOST 2)',
};

// A client's host-name check, as its library does it when left on.
const VERIFY_NAME: Remedy['stacks'] = {
  node: 'leave checkServerIdentity to tls.checkServerIdentity (the default) and pass servername',
  openssl: 's_client -verify_hostname <name> (or -verify_ip <address>) with -verify_return_error',
  python: 'check_hostname = True (the default of ssl.create_default_context) and server_hostname=<name>',
  go: 'tls.Config{ServerName: <name>}, never InsecureSkipVerify',
  java: 'sslParameters.setEndpointIdentificationAlgorithm("HTTPS")',
  curl: 'never -k/--insecure (libcurl: CURLOPT_SSL_VERIFYHOST 2)',
};

// Path validation is the library's: these fail when it is replaced or loosened.
const KEEP_PATH_VALIDATION_SERVER: Remedy['stacks'] = {
  node: 'rejectUnauthorized: true, with no own check in place of authorizationError',
  python: "ssl.CERT_REQUIRED, with no own verification in place of the ssl module's",
  go: 'tls.RequireAndVerifyClientCert (not RequireAnyClientCert with an own VerifyPeerCertificate)',
  java: 'the default X509TrustManager, not one that accepts any chain',
};
const KEEP_PATH_VALIDATION_CLIENT: Remedy['stacks'] = {
  node: 'rejectUnauthorized: true, with no own check in place of authorizationError',
  python: "ssl.CERT_REQUIRED, with no own verification in place of the ssl module's",
  go: 'never InsecureSkipVerify with an own VerifyPeerCertificate',
  java: 'the default X509TrustManager, not one that accepts any chain',
  curl: 'never -k/--insecure',
};

const PROTOCOLS: Remedy['stacks'] = {
  node: "minVersion: 'TLSv1.2'",
  openssl: '-no_tls1 -no_tls1_1 (or MinProtocol = TLSv1.2 in openssl.cnf)',
  nginx: 'ssl_protocols TLSv1.2 TLSv1.3;',
  apache: 'SSLProtocol -all +TLSv1.2 +TLSv1.3',
  haproxy: 'ssl-min-ver TLSv1.2',
  python: 'ctx.minimum_version = ssl.TLSVersion.TLSv1_2',
  go: 'tls.Config{MinVersion: tls.VersionTLS12}',
  java: 'sslParameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"})',
  curl: '--tlsv1.2',
};

const SUITES = 'ECDHE+AESGCM:ECDHE+CHACHA20';
const CIPHERS: Remedy['stacks'] = {
  node: `ciphers: '${SUITES}'`,
  openssl: `-cipher '${SUITES}'`,
  nginx: `ssl_ciphers ${SUITES};`,
  apache: `SSLCipherSuite ${SUITES}`,
  haproxy: `ciphers ${SUITES} (on the bind line, or ssl-default-bind-ciphers)`,
  python: `ctx.set_ciphers('${SUITES}')`,
  go: 'tls.Config{CipherSuites: ECDHE suites with AES-GCM or ChaCha20-Poly1305 only}',
  curl: `--ciphers '${SUITES}'`,
};

// OpenSSL's security level 2 refuses RSA keys under 2048 bits and SHA-1 signatures.
const SECLEVEL: Remedy['stacks'] = {
  node: "ciphers: 'DEFAULT@SECLEVEL=2'",
  openssl: "-cipher 'DEFAULT@SECLEVEL=2'",
  nginx: 'ssl_ciphers DEFAULT@SECLEVEL=2;',
  apache: 'SSLCipherSuite DEFAULT@SECLEVEL=2',
  python: "ctx.set_ciphers('DEFAULT@SECLEVEL=2')",
};

const CRL_SERVER: Remedy['stacks'] = {
  node: 'crl: [<CRL of each CA in the chain>]',
  openssl: 's_server -crl_check_all, with the CRLs in the -CAfile',
  nginx: 'ssl_crl <CRL file>;',
  apache: 'SSLCARevocationFile <CRL file>; SSLCARevocationCheck chain',
  haproxy: 'crl-file <CRL file> on the bind line',
  python: 'ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_CHAIN; ctx.load_verify_locations(<CRL file>)',
};
const CRL_CLIENT: Remedy['stacks'] = {
  node: 'crl: [<CRL of each CA in the chain>]',
  openssl: 's_client -crl_check_all, with the CRLs in the -CAfile',
  python: 'ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_CHAIN; ctx.load_verify_locations(<CRL file>)',
  curl: '--crlfile <CRL file>',
};

const DEPTH: Remedy['stacks'] = {
  nginx: 'ssl_verify_depth 2; (the default, 1, allows no intermediate)',
  apache: 'SSLVerifyDepth 2 (the default, 1, allows no intermediate)',
};

const ROOT_ONLY = 'Put only the root CA in the trust store, not the intermediates, and do not fetch missing ones';

export const REMEDIES: Record<string, Remedy> = {
  'conf.wire-encrypted.server': {
    fix: 'Serve only TLS on this port: no plaintext listener, fallback or STARTTLS that can be skipped.',
    stacks: {},
  },
  'conf.wire-encrypted.client': {
    fix: 'Make the client dial TLS only: no plaintext scheme, fallback or optional STARTTLS.',
    stacks: {},
  },
  'conf.reject-starttls-downgrade.client': {
    fix: 'Configure the client to require TLS, so that a server declining it ends the connection.',
    stacks: {
      postgres: 'libpq: sslmode=verify-full (or require, verify-ca), never prefer, allow or disable',
      mysql: 'mariadb / mysql: --ssl-verify-server-cert (MySQL: --ssl-mode=VERIFY_IDENTITY)',
    },
  },
  'conf.aead-fs.server': {
    fix: 'Enable TLS 1.2 or later with ECDHE key exchange, and no NULL ciphers, in the server.',
    stacks: { ...PROTOCOLS, node: `minVersion: 'TLSv1.2', ciphers: '${SUITES}'` },
  },
  'conf.aead-fs.client': {
    fix: 'Enable TLS 1.2 or later with ECDHE key exchange, and no NULL ciphers, in the client.',
    stacks: { ...PROTOCOLS, node: `minVersion: 'TLSv1.2', ciphers: '${SUITES}'` },
  },
  'integ.app-tamper.server': {
    fix:
      'The server must abort on a record that fails its integrity check: terminate TLS in a maintained library ' +
      'and hand the application only what it decrypted and verified.',
    stacks: {},
  },
  'integ.app-tamper.client': {
    fix:
      'The client must abort on a record that fails its integrity check, and must not deliver what it read ' +
      'before the failure as a complete answer.',
    stacks: {},
  },
  'integ.handshake-tamper.server': {
    fix: 'The server must fail a handshake whose transcript was altered: use a maintained TLS library, unpatched.',
    stacks: {},
  },
  'integ.handshake-tamper.client': {
    fix:
      'The client must fail a handshake whose transcript was altered, and not retry in a way that hides it: ' +
      'use a maintained TLS library, unpatched.',
    stacks: {},
  },
  'sauth.accept-good': {
    fix: "Give the client the CA that issued the server's certificate, and the name the certificate carries.",
    stacks: VERIFY_SERVER,
  },
  'sauth.reject-foreign-ca': {
    fix: "Verify the server's certificate against your own CA only, not the system store or any CA.",
    stacks: VERIFY_SERVER,
  },
  'sauth.reject-self-signed': {
    fix: "Verify the server's certificate: a self-signed one must fail (it does unless verification is off).",
    stacks: VERIFY_SERVER,
  },
  'sauth.reject-expired': {
    fix:
      "Verify the server's certificate with its validity dates: do not ignore expiry, nor check against a " +
      'fixed time.',
    stacks: VERIFY_SERVER,
  },
  'sauth.reject-not-yet-valid': {
    fix: "Verify the server's certificate with its validity dates, including notBefore.",
    stacks: VERIFY_SERVER,
  },
  'sauth.reject-dns-mismatch': {
    fix: 'Check the host name: the DNS name the client dials must be in the certificate.',
    stacks: VERIFY_NAME,
  },
  'sauth.reject-dns-only-for-ip': {
    fix: 'Dialing an IP address, require that address as an IP SAN (a DNS SAN, or the CN, is no match).',
    stacks: { ...VERIFY_NAME, openssl: 's_client -verify_ip <address> with -verify_return_error' },
  },
  'sauth.reject-eku-client-only': {
    fix:
      "Check the server certificate's purpose (extended key usage serverAuth): keep the library's verification, " +
      'which does, rather than an own callback.',
    stacks: { go: 'the default verification (it requires ExtKeyUsageServerAuth)', ...KEEP_PATH_VALIDATION_CLIENT },
  },
  'cauth.accept-good': {
    fix: "Give the server the CA that issues your clients' certificates as its client CA.",
    stacks: REQUIRE_CLIENT_CERT,
  },
  'cauth.reject-none': {
    fix:
      'Require a client certificate: the client-authentication mode must be required, not optional or none ' +
      '(optional lets a client without one in).',
    stacks: REQUIRE_CLIENT_CERT,
  },
  'cauth.reject-none-post-handshake': {
    fix:
      'Require the certificate where the server asks for it after the handshake: required, not optional, on every ' +
      'path it protects (optional lets a client without one in).',
    stacks: {
      apache:
        '<Location /protected> SSLVerifyClient require </Location> (not optional), SSLCACertificateFile <client CA>',
      python: 'ctx.verify_mode = ssl.CERT_REQUIRED, then SSLSocket.verify_client_post_handshake()',
      openssl: 'SSL_verify_client_post_handshake() with SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT',
    },
  },
  'cauth.reject-foreign-ca-post-handshake': {
    fix: 'Verify the certificate asked for after the handshake against your client CA only, as one sent in it.',
    stacks: {
      apache: 'SSLCACertificateFile <client CA> (not a system bundle) for the virtual host of the <Location>',
    },
  },
  'cauth.reject-foreign-ca': {
    fix: 'Verify client certificates against your client CA only, not the system store or a wider bundle.',
    stacks: REQUIRE_CLIENT_CERT,
  },
  'cauth.reject-self-signed': {
    fix: 'Verify client certificates: a self-signed one must fail (it does unless verification is optional).',
    stacks: REQUIRE_CLIENT_CERT,
  },
  'cauth.reject-expired': {
    fix: 'Verify client certificates with their validity dates: an expired one must fail.',
    stacks: REQUIRE_CLIENT_CERT,
  },
  'cauth.reject-not-yet-valid': {
    fix: 'Verify client certificates with their validity dates, including notBefore.',
    stacks: REQUIRE_CLIENT_CERT,
  },
  'cauth.reject-eku-server-only': {
    fix:
      "Check the client certificate's purpose (extended key usage clientAuth): keep the library's verification " +
      'rather than an own callback.',
    stacks: {
      go: 'tls.RequireAndVerifyClientCert (it requires ExtKeyUsageClientAuth)',
      ...KEEP_PATH_VALIDATION_SERVER,
    },
  },
  'cauth.strict-ca-list': {
    fix: "Announce only the CA that issues your clients' certificates in the CertificateRequest.",
    stacks: {
      node: 'ca: <the client CA only>',
      nginx: 'ssl_client_certificate <the client CA only>; (CAs to trust but not announce: ssl_trusted_certificate)',
      apache: 'SSLCADNRequestFile <the client CA only>',
      openssl: 's_server -CAfile <the client CA only>',
    },
  },
  'authz.accept-admitted': {
    fix: "Admit the client identities your service serves, read from the certificate's SANs.",
    stacks: {},
  },
  'authz.reject-other-identity': {
    fix:
      "Authorize by identity, not by CA alone: compare the client certificate's SANs with the identities the " +
      'service admits, and refuse the others.',
    stacks: {
      node: 'check socket.getPeerCertificate().subjectaltname against the admitted list before serving',
      python: "check ssl_socket.getpeercert()['subjectAltName'] against the admitted list",
      go: 'check r.TLS.PeerCertificates[0].DNSNames / URIs / IPAddresses against the admitted list',
    },
  },
  'authz.reject-admitted-in-cn-only': {
    fix: 'Read the client identity from its SANs, never from the subject CN.',
    stacks: {
      node: 'use getPeerCertificate().subjectaltname, not .subject.CN',
      python: "use getpeercert()['subjectAltName'], not the subject's commonName",
      go: 'use DNSNames / URIs / IPAddresses, not Subject.CommonName',
    },
  },
  'authz.reject-admitted-as-other-san-type': {
    fix: 'Match an admitted identity with its SAN type: a DNS name only as a DNS SAN, a URI only as a URI SAN.',
    stacks: {
      node: "compare the typed entries of subjectaltname ('DNS:...', 'URI:...'), not the bare values",
      go: 'compare DNSNames with DNS identities and URIs with URI identities',
    },
  },
  'chain.accept-intermediate.server': {
    fix: 'Accept a client chain through an intermediate CA the client sends: allow a verification depth of 2 or more.',
    stacks: DEPTH,
  },
  'chain.accept-intermediate.client': {
    fix: 'Accept a server chain through an intermediate CA the server sends: allow a verification depth of 2 or more.',
    stacks: { openssl: 's_client -verify_depth 2 or more (or leave it unset)' },
  },
  'chain.reject-missing-intermediate.server': {
    fix: `${ROOT_ONLY}: a client that leaves out its intermediate must fail.`,
    stacks: { openssl: 'no -partial_chain' },
  },
  'chain.reject-missing-intermediate.client': {
    fix: `${ROOT_ONLY}: a server that leaves out its intermediate must fail.`,
    stacks: { openssl: 'no -partial_chain' },
  },
  'chain.reject-issuer-not-ca.server': {
    fix: "Keep the library's path validation, which refuses an issuer with CA:FALSE, for client chains.",
    stacks: KEEP_PATH_VALIDATION_SERVER,
  },
  'chain.reject-issuer-not-ca.client': {
    fix: "Keep the library's path validation, which refuses an issuer with CA:FALSE, for server chains.",
    stacks: KEEP_PATH_VALIDATION_CLIENT,
  },
  'chain.reject-issuer-without-basic-constraints.server': {
    fix: "Refuse client chains whose intermediate lacks basicConstraints: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_SERVER,
  },
  'chain.reject-issuer-without-basic-constraints.client': {
    fix: "Refuse server chains whose intermediate lacks basicConstraints: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_CLIENT,
  },
  'chain.reject-pathlen-exceeded.server': {
    fix: "Enforce pathLenConstraint on client chains: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_SERVER,
  },
  'chain.reject-pathlen-exceeded.client': {
    fix: "Enforce pathLenConstraint on server chains: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_CLIENT,
  },
  'chain.reject-intermediate-expired.server': {
    fix: 'Check the validity dates of every certificate in a client chain, the intermediates too.',
    stacks: KEEP_PATH_VALIDATION_SERVER,
  },
  'chain.reject-intermediate-expired.client': {
    fix: 'Check the validity dates of every certificate in a server chain, the intermediates too.',
    stacks: KEEP_PATH_VALIDATION_CLIENT,
  },
  'chain.reject-issuer-without-keycertsign.server': {
    fix: "Check the issuer's keyUsage (keyCertSign) in client chains: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_SERVER,
  },
  'chain.reject-issuer-without-keycertsign.client': {
    fix: "Check the issuer's keyUsage (keyCertSign) in server chains: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_CLIENT,
  },
  'chain.reject-name-constraints.server': {
    fix: "Enforce the issuer's name constraints on client certificates: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_SERVER,
  },
  'chain.reject-name-constraints.client': {
    fix: "Enforce the issuer's name constraints on server certificates: keep the library's path validation.",
    stacks: KEEP_PATH_VALIDATION_CLIENT,
  },
  'chain.strict-reject-ca-leaf.server': {
    fix:
      'Refuse a client end-entity certificate that is itself a CA (CA:TRUE): check basicConstraints of the leaf ' +
      'in the application, or issue client certificates with CA:FALSE.',
    stacks: { node: 'refuse when getPeerCertificate().ca is true' },
  },
  'chain.strict-reject-ca-leaf.client': {
    fix: 'Refuse a server end-entity certificate that is itself a CA (CA:TRUE), as web PKI clients do.',
    stacks: { node: 'checkServerIdentity that also refuses when cert.ca is true (after tls.checkServerIdentity)' },
  },
  'host.reject-wildcard-bare-domain': {
    fix: "Match wildcards as RFC 9525 says: *.example.test does not cover example.test; keep the library's check.",
    stacks: VERIFY_NAME,
  },
  'host.reject-wildcard-two-labels': {
    fix: "Match wildcards as RFC 9525 says: a wildcard covers exactly one label; keep the library's check.",
    stacks: VERIFY_NAME,
  },
  'host.reject-wildcard-tld': {
    fix: 'Refuse a wildcard directly under a top-level domain (*.test), as browsers do.',
    stacks: {},
  },
  'host.reject-ipv4-in-dns-san': {
    fix: 'Dialing an IPv4 address, match it only against IP SANs, never a DNS SAN that spells it.',
    stacks: { ...VERIFY_NAME, openssl: 's_client -verify_ip <address> with -verify_return_error' },
  },
  'host.reject-ipv6-in-dns-san': {
    fix: 'Dialing an IPv6 address, match it only against IP SANs, never a DNS SAN that spells it.',
    stacks: { ...VERIFY_NAME, openssl: 's_client -verify_ip <address> with -verify_return_error' },
  },
  'host.reject-dns-only-for-ipv6': {
    fix: 'Dialing an IPv6 address, require it as an IP SAN.',
    stacks: { ...VERIFY_NAME, openssl: 's_client -verify_ip <address> with -verify_return_error' },
  },
  'host.reject-uri-san-only': {
    fix: 'Match a dialed DNS name only against DNS SANs: a URI SAN is no server identity for TLS.',
    stacks: VERIFY_NAME,
  },
  'host.reject-cn-when-san-present': {
    fix: 'Ignore the subject CN when the certificate has SANs (RFC 6125, RFC 9525).',
    stacks: VERIFY_NAME,
  },
  'host.strict-reject-cn-only': {
    fix: 'Refuse a certificate without SANs: match names against SANs only, never the CN (RFC 9525).',
    stacks: {
      python: 'ctx.hostname_checks_common_name = False',
      go: 'the default verification (Go 1.15 and later ignore the CN)',
    },
  },
  'crypto.reject-weak-rsa-key.server': {
    fix: 'Refuse client certificates for RSA keys under 2048 bits.',
    stacks: SECLEVEL,
  },
  'crypto.reject-weak-rsa-key.client': {
    fix: 'Refuse server certificates for RSA keys under 2048 bits.',
    stacks: SECLEVEL,
  },
  'crypto.reject-sha1-signature.server': {
    fix: 'Refuse client certificates signed with SHA-1.',
    stacks: SECLEVEL,
  },
  'crypto.reject-sha1-signature.client': {
    fix: 'Refuse server certificates signed with SHA-1.',
    stacks: SECLEVEL,
  },
  'crypto.reject-tls1.0.server': { fix: 'Turn TLS 1.0 off in the server: TLS 1.2 at least.', stacks: PROTOCOLS },
  'crypto.reject-tls1.0.client': { fix: 'Turn TLS 1.0 off in the client: TLS 1.2 at least.', stacks: PROTOCOLS },
  'crypto.reject-tls1.1.server': { fix: 'Turn TLS 1.1 off in the server: TLS 1.2 at least.', stacks: PROTOCOLS },
  'crypto.reject-tls1.1.client': { fix: 'Turn TLS 1.1 off in the client: TLS 1.2 at least.', stacks: PROTOCOLS },
  'crypto.reject-null-suites.server': {
    fix: "Remove NULL-encryption suites from the server's cipher list (eNULL).",
    stacks: CIPHERS,
  },
  'crypto.reject-null-suites.client': {
    fix: "Remove NULL-encryption suites from the client's cipher list (eNULL).",
    stacks: CIPHERS,
  },
  'crypto.reject-rc4-suites.server': { fix: "Remove RC4 suites from the server's cipher list.", stacks: CIPHERS },
  'crypto.reject-rc4-suites.client': { fix: "Remove RC4 suites from the client's cipher list.", stacks: CIPHERS },
  'crypto.reject-3des-suites.server': { fix: "Remove 3DES suites from the server's cipher list.", stacks: CIPHERS },
  'crypto.reject-3des-suites.client': { fix: "Remove 3DES suites from the client's cipher list.", stacks: CIPHERS },
  'crypto.reject-cbc-suites.server': {
    fix: "Keep only AEAD suites (AES-GCM, ChaCha20-Poly1305) in the server's TLS 1.2 cipher list.",
    stacks: CIPHERS,
  },
  'crypto.reject-cbc-suites.client': {
    fix: "Keep only AEAD suites (AES-GCM, ChaCha20-Poly1305) in the client's TLS 1.2 cipher list.",
    stacks: CIPHERS,
  },
  'crypto.reject-static-rsa-suites.server': {
    fix: "Keep only ECDHE (forward-secret) suites in the server's TLS 1.2 cipher list: no TLS_RSA_WITH_* suites.",
    stacks: CIPHERS,
  },
  'crypto.reject-static-rsa-suites.client': {
    fix: "Keep only ECDHE (forward-secret) suites in the client's TLS 1.2 cipher list: no TLS_RSA_WITH_* suites.",
    stacks: CIPHERS,
  },
  'revoke.strict-reject-revoked.server': {
    fix: "Check client certificates against the CA's CRL.",
    stacks: CRL_SERVER,
  },
  'revoke.strict-reject-revoked.client': {
    fix: "Check the server's certificate against the CA's CRL.",
    stacks: CRL_CLIENT,
  },
  'revoke.strict-reject-revoked-intermediate.server': {
    fix: 'Check the whole client chain against the CRLs, the intermediates too, not the leaf alone.',
    stacks: CRL_SERVER,
  },
  'revoke.strict-reject-revoked-intermediate.client': {
    fix: 'Check the whole server chain against the CRLs, the intermediates too, not the leaf alone.',
    stacks: CRL_CLIENT,
  },
  'revoke.strict-reject-expired-crl.server': {
    fix: 'Refuse client certificates when the CRL is past its nextUpdate, and keep the CRL fresh.',
    stacks: {},
  },
  'revoke.strict-reject-expired-crl.client': {
    fix: "Refuse the server's certificate when the CRL is past its nextUpdate, and keep the CRL fresh.",
    stacks: {},
  },
  'revoke.strict-reject-bad-crl-signature.server': {
    fix: "Refuse client certificates when the CRL's signature does not verify against the CA.",
    stacks: {},
  },
  'revoke.strict-reject-bad-crl-signature.client': {
    fix: "Refuse the server's certificate when the CRL's signature does not verify against the CA.",
    stacks: {},
  },
  'resume.server-reject-after-ca-change': {
    fix:
      'When the client CA changes, invalidate the sessions made under the old one: new session-ticket keys and ' +
      'a flushed session cache (or a new session ID context).',
    stacks: { node: 'new ticketKeys (server.setTicketKeys) or a new sessionIdContext with the new ca' },
  },
  'resume.server-reject-unauthenticated-session': {
    fix: 'Do not let a session made without a verified client certificate resume as an authenticated one.',
    stacks: {},
  },
  'resume.server-reject-open-name-session': {
    fix:
      'Give each server name its own session ID context and ticket keys, so a session of an open name cannot ' +
      'resume on a name that requires client certificates.',
    stacks: { node: 'a distinct sessionIdContext (and ticketKeys) in the secure context of each name' },
  },
  'resume.client-reject-after-ca-change': {
    fix: "When the client's CA changes, drop the sessions it cached under the old one.",
    stacks: { node: 'do not pass a session saved before the ca changed' },
  },
  'resume.client-reject-other-name': {
    fix: "Keep the client's session cache per server name: resume a session only with the name it was verified for.",
    stacks: {
      node:
        'pass a saved session only to a connection with the same servername (Node skips the name check on ' +
        'resumption)',
    },
  },
  'reneg.strict-limit-client-initiated': {
    fix: 'Refuse client-initiated renegotiation (OpenSSL 3 servers do by default), or serve TLS 1.3 only.',
    stacks: {
      node: "tls.CLIENT_RENEG_LIMIT lowered (default 3 per 10 minutes), or minVersion: 'TLSv1.3'",
      nginx: 'nothing to set: nginx refuses client-initiated renegotiation',
    },
  },
};

export function remedyOf(id: string): Remedy | undefined {
  return REMEDIES[id];
}

/** The fix, then each stack's setting, in plain lines (console, markdown). */
export function remedyLines(remedy: Remedy): string[] {
  return [remedy.fix, ...STACKS.filter((s) => remedy.stacks[s]).map((s) => `${STACK_NAMES[s]}: ${remedy.stacks[s]}`)];
}
