/**
 * The harness's own peers: the side of a probe that is not under test. They pin the TLS version,
 * offer every cipher (secure ones first), and never refuse their counterpart, so that a
 * rejection can only come from the target, and a target willing to pick a weak cipher gets the
 * chance to show it.
 */
import tls from 'node:tls';
import type { NodeClientRole, NodeServerRole } from '../config/types.js';
import type { PinnedVersion } from '../tls.js';

// Node's defaults first, then everything else. The defaults' '!' exclusions are dropped: in
// OpenSSL '!' removes a suite for good, and a target that would agree to NULL must be offered it.
const PERMISSIVE_CIPHERS = [...tls.DEFAULT_CIPHERS.split(':').filter((c) => !c.startsWith('!')), 'ALL', 'eNULL', '@SECLEVEL=0'].join(':');

export function referenceServer(version: PinnedVersion, answer: Buffer): NodeServerRole {
  return {
    kind: 'node',
    options: ({ ca, cert, key }) => ({
      ca, cert, key, requestCert: true, rejectUnauthorized: false,
      minVersion: version, maxVersion: version, ciphers: PERMISSIVE_CIPHERS,
    }),
    onConnection: (socket) => socket.once('data', () => socket.end(answer)),
  };
}

// A context costs ~1.5 ms to build (OpenSSL 3 parses the key, the certificate and the CA every
// time), more than a third of a handshake: the reference client builds one per version and
// material, once per worker. A client context holds no session: a Node client resumes only a
// session it is handed, and the reference client is never handed one.
const clientContexts = new Map<string, tls.SecureContext>();

export function referenceClient(version: PinnedVersion): NodeClientRole {
  return {
    kind: 'node',
    options: ({ ca, cert, key }) => {
      const id = `${version}\0${ca}\0${cert}\0${key}`;
      let secureContext = clientContexts.get(id);
      if (!secureContext) {
        secureContext = tls.createSecureContext({ ca, ...(cert ? { cert, key } : {}), minVersion: version, maxVersion: version, ciphers: PERMISSIVE_CIPHERS });
        clientContexts.set(id, secureContext);
      }
      return { secureContext, rejectUnauthorized: false };
    },
  };
}
