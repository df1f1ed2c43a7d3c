/**
 * Deliberately broken configurations. Each mutant breaks one thing; tests/selftest.test.ts runs
 * the conformance specs against all of them (with MTLS_PROFILE=strict, so strict properties count)
 * and asserts that exactly the properties each one breaks fail, and the rest pass.
 *
 * `good` is the document's setup hardened to pass every property, strict ones included: AEAD
 * suites with ECDHE only, OpenSSL security level 2 (no RSA-1024), the run's CRLs, and an
 * application that refuses a CA certificate as a peer's leaf and a server certificate without SANs. `document` is the
 * document's setup on Node's defaults: it fails exactly the strict properties Node does not hold.
 */
import net from 'node:net';
import tls, { type ConnectionOptions, type TLSSocket, type TlsOptions } from 'node:tls';
import forge from 'node-forge';
import { defineConfig, type RoleMaterial } from '../../harness/config/types.js';
import { echoApplication } from '../../harness/targets/node.js';
import defaults from '../../mtls.config.js';
import { documentServer } from './document.js';

/** Ticket keys a fleet shares (and keeps across restarts): the same for every server of the run. */
const FLEET_TICKET_KEYS = Buffer.alloc(48, 7);
const HARDENED = 'ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=2';
const NULL_CIPHER = 'NULL-SHA256:@SECLEVEL=0';
// TLS 1.0 and 1.1 need security level 0 in OpenSSL 3 (their handshakes sign with SHA-1 and MD5).
const LEGACY = 'ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES:@SECLEVEL=0';

const documentClient = ({ ca, cert, key }: RoleMaterial): ConnectionOptions => ({ ca, cert, key });

// The good roles also check revocation against the run's CRLs (one PEM per CA: Node reads one per string).
const goodServer = (m: RoleMaterial): TlsOptions => ({ ...documentServer(m), ciphers: HARDENED, crl: m.crl });
/** basicConstraints cA, read from the certificate itself: Node's `ca` also needs keyCertSign. */
function claimsCa(cert: tls.PeerCertificate | undefined): boolean {
  if (!cert?.raw) return false;
  const parsed = forge.pki.certificateFromAsn1(forge.asn1.fromDer(cert.raw.toString('binary')));
  const constraints: { cA?: boolean } | undefined = parsed.getExtension('basicConstraints');
  return constraints?.cA === true;
}
const refuseCaLeaf = (socket: TLSSocket) =>
  claimsCa(socket.getPeerCertificate()) ? socket.destroy() : echoApplication(socket);
const strictIdentity = (host: string, cert: tls.PeerCertificate) =>
  claimsCa(cert)
    ? new Error('the server certificate is a CA certificate')
    : !cert.subjectaltname
      ? new Error('the server certificate has no subjectAltName')
      : tls.checkServerIdentity(host, cert);
const goodClient = (m: RoleMaterial): ConnectionOptions => ({
  ...documentClient(m),
  ciphers: HARDENED,
  checkServerIdentity: strictIdentity,
  crl: m.crl,
});

const server = (options: (m: RoleMaterial) => TlsOptions, onConnection: (s: TLSSocket) => void = refuseCaLeaf) => ({
  kind: 'node' as const,
  options,
  onConnection,
});
const client = (options: (m: RoleMaterial) => ConnectionOptions, onSecureConnect?: (s: TLSSocket) => void) => ({
  kind: 'node' as const,
  options,
  onSecureConnect,
});

// The run's intermediate CA, as the harness issued it for this project's key type. Only spec
// workers can ask vitest for it; the main process loads this file to check the config.
const vitest = '__vitest_worker__' in globalThis ? await import('vitest') : undefined;
const intermediate = (): string[] => (vitest ? [vitest.inject('mtlsPki').certificates['intermediate-ca'].cert] : []);

/** An application that lets some verification errors through: a hand-made allow-list. */
const tolerating = (codes: string[]) => (socket: TLSSocket) =>
  socket.authorized || codes.includes(String(socket.authorizationError));
const TOLERATED = ['INVALID_CA', 'PATH_LENGTH_EXCEEDED'];

function ipv6Equal(a: string, b: string): boolean {
  const list = new net.BlockList();
  list.addAddress(a, 'ipv6');
  return list.check(b, 'ipv6');
}

/** A hand-rolled name check: any wildcard suffix, IP text in DNS SANs, URI hosts and the CN all match. */
function lenientIdentity(host: string, cert: tls.PeerCertificate): Error | undefined {
  const names = (cert.subjectaltname ?? '')
    .split(', ')
    .map((n) => n.replace(/^(DNS|IP Address|URI):/, '').replace(/^\w+:\/\/([^/:]+).*$/, '$1'));
  names.push(...[cert.subject.CN ?? ''].flat());
  const sameIp = (a: string) => net.isIPv6(a) && net.isIPv6(host) && ipv6Equal(a, host);
  const match = names.some((n) => n === host || sameIp(n) || (n.startsWith('*') && host.endsWith(n.slice(2))));
  return match ? undefined : new Error(`${host} is not among ${names.join(', ')}`);
}

export default defineConfig({
  targets: {
    good: { server: server(goodServer), client: client(goodClient) },
    // The default target itself (mtls.config.ts), so a change to it shows here.
    document: defaults.targets.reference,
    'server-no-request-cert': {
      description: 'the server never asks for a client certificate',
      server: server((m) => ({ ...goodServer(m), requestCert: false })),
    },
    'server-ignores-authorization': {
      description: 'the server lets unverified clients through and its application never looks at socket.authorized',
      server: server((m) => ({ ...goodServer(m), rejectUnauthorized: false })),
    },
    'server-trusts-intermediate': {
      description: 'the server trusts the intermediate CA as an anchor, besides the root',
      server: server((m) => ({ ...goodServer(m), ca: [m.ca, ...intermediate()] })),
    },
    'server-trusts-public-cas': {
      description:
        "the server trusts Node's bundled public CAs for client certificates, besides the run's CA: its " +
        'CertificateRequest lists them all',
      server: server((m) => ({ ...goodServer(m), ca: [m.ca, ...tls.rootCertificates] })),
    },
    'server-shares-ticket-keys': {
      description:
        'the server keeps fixed ticket keys (as a fleet sharing them does) across a restart that rotates its client ' +
        'CA: old sessions still resume',
      server: server((m) => ({ ...goodServer(m), ticketKeys: FLEET_TICKET_KEYS })),
    },
    'server-tolerates-ca-errors': {
      description: 'the server application lets INVALID_CA and PATH_LENGTH_EXCEEDED through',
      server: server(
        (m) => ({ ...goodServer(m), rejectUnauthorized: false }),
        (s) => (tolerating(TOLERATED)(s) ? refuseCaLeaf(s) : s.destroy()),
      ),
    },
    'client-no-verify': {
      description: 'the client does not verify the server (rejectUnauthorized: false)',
      client: client((m) => ({ ...goodClient(m), rejectUnauthorized: false })),
    },
    'client-any-identity': {
      description: 'the client verifies the chain but accepts any host name',
      client: client((m) => ({
        ...goodClient(m),
        checkServerIdentity: (_host, cert) =>
          claimsCa(cert) || !cert.subjectaltname ? strictIdentity('', cert) : undefined,
      })),
    },
    'client-lenient-names': {
      description: 'the client matches host names by hand: any wildcard suffix, IP text in DNS SANs, URI hosts, the CN',
      client: client((m) => ({
        ...goodClient(m),
        checkServerIdentity: (host, cert) =>
          claimsCa(cert) ? strictIdentity(host, cert) : lenientIdentity(host, cert),
      })),
    },
    'client-reuses-sessions': {
      description:
        'the client offers its last session on every connection, whatever the name: Node resumes it without ' +
        'checking the name',
      client: (() => {
        let session: Buffer | undefined;
        return client(
          (m) => ({ ...goodClient(m), session }),
          (socket) => {
            session = socket.getSession() ?? session;
            socket.on('session', (s: Buffer) => {
              session = s;
            });
          },
        );
      })(),
    },
    'client-trusts-intermediate': {
      description: 'the client trusts the intermediate CA as an anchor, besides the root',
      client: client((m) => ({ ...goodClient(m), ca: [m.ca, ...intermediate()] })),
    },
    'client-tolerates-ca-errors': {
      description: 'the client application lets INVALID_CA and PATH_LENGTH_EXCEEDED through',
      client: client(
        (m) => ({ ...goodClient(m), rejectUnauthorized: false }),
        (s) => {
          if (!tolerating(TOLERATED)(s)) s.destroy();
        },
      ),
    },
    'null-cipher': {
      description:
        'both roles allow only a NULL cipher on TLS 1.2: authenticated plaintext (at security level 0, which NULL ' +
        'needs)',
      server: server((m) => ({ ...goodServer(m), ciphers: NULL_CIPHER })),
      client: client((m) => ({ ...goodClient(m), ciphers: NULL_CIPHER })),
    },
    'seclevel-0': {
      description: 'both roles at OpenSSL security level 0: RSA-1024 and SHA-1 certificates pass verification',
      server: server((m) => ({ ...goodServer(m), ciphers: `${HARDENED}:@SECLEVEL=0` })),
      client: client((m) => ({ ...goodClient(m), ciphers: `${HARDENED}:@SECLEVEL=0` })),
    },
    'allows-tls1.0': {
      description: 'both roles allow TLS 1.0 (and so 1.1), with the CBC suites and the security level 0 it needs',
      server: server((m) => ({ ...goodServer(m), minVersion: 'TLSv1', ciphers: LEGACY })),
      client: client((m) => ({ ...goodClient(m), minVersion: 'TLSv1', ciphers: LEGACY })),
    },
    'allows-tls1.1': {
      description: 'both roles allow TLS 1.1, with the CBC suites and the security level 0 it needs',
      server: server((m) => ({ ...goodServer(m), minVersion: 'TLSv1.1', ciphers: LEGACY })),
      client: client((m) => ({ ...goodClient(m), minVersion: 'TLSv1.1', ciphers: LEGACY })),
    },
    'allows-null': {
      description: 'both roles add NULL suites after the good ones',
      server: server((m) => ({ ...goodServer(m), ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20:eNULL:!aNULL:@SECLEVEL=0' })),
      client: client((m) => ({ ...goodClient(m), ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20:eNULL:!aNULL:@SECLEVEL=0' })),
    },
    'allows-cbc': {
      description: 'both roles add ECDHE AES-CBC suites after the good ones',
      server: server((m) => ({ ...goodServer(m), ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES:@SECLEVEL=2' })),
      client: client((m) => ({ ...goodClient(m), ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES:@SECLEVEL=2' })),
    },
    'allows-static-rsa': {
      description: 'both roles add RSA key transport AES-GCM suites after the good ones',
      server: server((m) => ({ ...goodServer(m), ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20:kRSA+AESGCM:@SECLEVEL=2' })),
      client: client((m) => ({ ...goodClient(m), ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20:kRSA+AESGCM:@SECLEVEL=2' })),
    },
  },
});
