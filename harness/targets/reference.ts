/**
 * The harness's own peers: the side of a probe that is not under test. They pin the TLS version,
 * offer every cipher (secure ones first), and never refuse their counterpart, so that a
 * rejection can only come from the target, and a target willing to pick a weak cipher gets the
 * chance to show it.
 */
import { constants } from 'node:crypto';
import tls from 'node:tls';
import type { NodeClientRole, NodeServerRole } from '../config/types.js';
import type { ClientPrelude } from './node.js';
import type { PinnedVersion } from '../tls.js';
import { protocolOf, type ProtocolConfig } from '../protocols/index.js';

// Node's defaults first, then everything else. The defaults' '!' exclusions are dropped: in
// OpenSSL '!' removes a suite for good, and a target that would agree to NULL must be offered it.
export const PERMISSIVE_CIPHERS = [
  ...tls.DEFAULT_CIPHERS.split(':').filter((c) => !c.startsWith('!')),
  'ALL',
  'eNULL',
  '@SECLEVEL=0',
].join(':');

/**
 * `ticketKeys`: for a check about resumption, a server that issues tickets under these keys (one
 * set per check), so a session made in one of its probes can resume in the next and in no other
 * check's. Without them it issues no tickets: its context is shared by every probe in a worker
 * (contexts.ts), and a client under test that keeps sessions must not resume across probes.
 */
export function referenceServer(
  version: PinnedVersion,
  answer: (request: Buffer) => Buffer,
  ticketKeys?: Buffer,
  protocol?: ProtocolConfig,
): NodeServerRole {
  return {
    kind: 'node',
    // The service the client under test expects: the harness plays its clear start, if any.
    ...(protocol !== undefined ? { protocol } : {}),
    options: ({ ca, cert, key }) => ({
      ca,
      cert,
      key,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: version,
      maxVersion: version,
      ciphers: PERMISSIVE_CIPHERS,
      ...(ticketKeys ? { ticketKeys } : { secureOptions: constants.SSL_OP_NO_TICKET }),
    }),
    onConnection: (socket) => {
      // Answered once the request is in (HTTP/2's comes after its preface), then the connection ends.
      const spoken = protocol === undefined ? undefined : protocolOf(protocol);
      const complete = (request: Buffer) => spoken?.requestComplete?.(request) ?? true;
      if (spoken?.opening) socket.write(spoken.opening);
      let request = Buffer.alloc(0);
      const onData = (d: Buffer) => {
        request = Buffer.concat([request, d]);
        if (!complete(request)) return;
        socket.off('data', onData);
        socket.end(answer(request));
      };
      socket.on('data', onData);
    },
  };
}

/**
 * A reference peer that also offers the ALPN protocols of what it speaks (HTTP/2's `h2`): some
 * servers refuse a connection without (gRPC), and a client under test may need the answer.
 */
export function offering<R extends NodeClientRole | NodeServerRole>(role: R, alpn: readonly string[] | undefined): R {
  if (!alpn?.length) return role;
  const options = role.options as (m: Parameters<R['options']>[0]) => object;
  return { ...role, options: (m: Parameters<R['options']>[0]) => ({ ...options(m), ALPNProtocols: [...alpn] }) };
}

/** The reference client asks for a stapled OCSP response (status_request), so a server that staples shows it. */
export function referenceClient(version: PinnedVersion): NodeClientRole {
  return {
    kind: 'node',
    options: ({ ca, cert, key }) => ({
      ca,
      ...(cert ? { cert, key } : {}),
      rejectUnauthorized: false,
      minVersion: version,
      maxVersion: version,
      ciphers: PERMISSIVE_CIPHERS,
      requestOCSP: true,
    }),
  };
}

/**
 * The reference client of a check about renegotiation: after its handshake it starts `times`
 * renegotiations one after another (TLS 1.2 only), then writes. Node's client can start one
 * (`renegotiate()`), not present another certificate in it.
 */
export function renegotiatingClient(
  version: PinnedVersion,
  times: number,
): NodeClientRole & { prelude: ClientPrelude } {
  return {
    ...referenceClient(version),
    prelude: async (socket, obs, log) => {
      obs.renegotiations = 0;
      for (let i = 1; i <= times; i++) {
        await new Promise<void>((resolve, reject) => {
          const started = socket.renegotiate({ rejectUnauthorized: false }, (err) => (err ? reject(err) : resolve()));
          if (!started) reject(new Error(`renegotiation ${i} could not start (the socket is closed)`));
        });
        obs.renegotiations = i;
        log(`client: renegotiation ${i} completed`);
      }
    },
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
      socket.on('session', (s: Buffer) => {
        jar.session = s;
      });
    },
  };
}
