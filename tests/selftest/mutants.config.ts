/**
 * Deliberately broken configurations. Each mutant breaks one thing; tests/selftest.test.ts runs
 * the conformance specs against all of them and asserts that exactly the properties each one
 * breaks fail, and the rest pass. `good` is the document's setup: it must pass everything.
 */
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { defineConfig, type RoleMaterial } from '../../harness/config/types.js';

const goodServer = ({ ca, cert, key }: RoleMaterial): TlsOptions => ({ ca, cert, key, requestCert: true, rejectUnauthorized: true });
const goodClient = ({ ca, cert, key }: RoleMaterial): ConnectionOptions => ({ ca, cert, key });
const NULL_CIPHER = 'NULL-SHA256:@SECLEVEL=0';

export default defineConfig({
  targets: {
    good: {
      server: { kind: 'node', options: goodServer },
      client: { kind: 'node', options: goodClient },
    },
    'server-no-request-cert': {
      description: 'the server never asks for a client certificate',
      server: { kind: 'node', options: (m) => ({ ...goodServer(m), requestCert: false }) },
    },
    'server-ignores-authorization': {
      description: 'the server lets unverified clients through and its application never looks at socket.authorized',
      server: {
        kind: 'node',
        options: (m) => ({ ...goodServer(m), rejectUnauthorized: false }),
        onConnection: (socket) => socket.once('data', (d: Buffer) => socket.end(Buffer.concat([Buffer.from('hello '), d]))),
      },
    },
    'client-no-verify': {
      description: 'the client does not verify the server (rejectUnauthorized: false)',
      client: { kind: 'node', options: (m) => ({ ...goodClient(m), rejectUnauthorized: false }) },
    },
    'client-any-identity': {
      description: 'the client verifies the chain but accepts any host name',
      client: { kind: 'node', options: (m) => ({ ...goodClient(m), checkServerIdentity: () => undefined }) },
    },
    'null-cipher': {
      description: 'both roles allow only a NULL cipher on TLS 1.2: authenticated plaintext',
      server: { kind: 'node', options: (m) => ({ ...goodServer(m), ciphers: NULL_CIPHER }) },
      client: { kind: 'node', options: (m) => ({ ...goodClient(m), ciphers: NULL_CIPHER }) },
    },
  },
});
