/**
 * The harness's own peers: the side of a probe that is not under test. They pin the TLS version,
 * offer every cipher (secure ones first), and never refuse their counterpart, so that a
 * rejection can only come from the target, and a target willing to pick a weak cipher gets the
 * chance to show it.
 */
import { constants } from 'node:crypto';
import tls from 'node:tls';
import type { NodeClientRole, NodeServerRole } from '../config/types.js';
import type { PinnedVersion } from '../tls.js';

// Node's defaults first, then everything else. The defaults' '!' exclusions are dropped: in
// OpenSSL '!' removes a suite for good, and a target that would agree to NULL must be offered it.
const PERMISSIVE_CIPHERS = [...tls.DEFAULT_CIPHERS.split(':').filter((c) => !c.startsWith('!')), 'ALL', 'eNULL', '@SECLEVEL=0'].join(':');

/**
 * `ticketKeys`: for a check about resumption, a server that issues tickets under these keys (one
 * set per check), so a session made in one of its probes can resume in the next and in no other
 * check's. Without them it issues no tickets: its context is shared by every probe in a worker
 * (contexts.ts), and a client under test that keeps sessions must not resume across probes.
 */
export function referenceServer(version: PinnedVersion, answer: Buffer, ticketKeys?: Buffer): NodeServerRole {
  return {
    kind: 'node',
    options: ({ ca, cert, key }) => ({
      ca, cert, key, requestCert: true, rejectUnauthorized: false,
      minVersion: version, maxVersion: version, ciphers: PERMISSIVE_CIPHERS,
      ...(ticketKeys ? { ticketKeys } : { secureOptions: constants.SSL_OP_NO_TICKET }),
    }),
    onConnection: (socket) => socket.once('data', () => socket.end(answer)),
  };
}

export function referenceClient(version: PinnedVersion): NodeClientRole {
  return {
    kind: 'node',
    options: ({ ca, cert, key }) => ({
      ca, ...(cert ? { cert, key } : {}), rejectUnauthorized: false,
      minVersion: version, maxVersion: version, ciphers: PERMISSIVE_CIPHERS,
    }),
  };
}

/** The reference client of a check about resumption: it offers the jar's session and keeps the newest it gets. */
export function sessionClient(version: PinnedVersion, jar: { session?: Buffer }): NodeClientRole {
  const base = referenceClient(version);
  return {
    kind: 'node',
    options: (m) => ({ ...base.options(m), ...(jar.session ? { session: jar.session } : {}) }),
    onSecureConnect: (socket) => {
      jar.session = socket.getSession() ?? jar.session;
      socket.on('session', (s: Buffer) => { jar.session = s; });
    },
  };
}
