/**
 * Servers reached by name (tests/names.test.ts): Caddy, which with client authentication on
 * answers 421 to a request whose SNI and Host disagree (or that has no SNI); nginx with two
 * virtual hosts on one address, one requiring client certificates and one open, declared
 * rightly, and declared as if both required them; a Node server with the same two names whose
 * application decides by the name the connection reports (nginx CVE-2025-23419's class).
 */
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { defineConfig } from '../../harness/config/types.js';
import { echoApplication } from '../../harness/targets/node.js';

const interop = path.join(import.meta.dirname, '../../interop');
const vhosts = {
  kind: 'command' as const,
  protocol: 'http' as const,
  command: ['bash', path.join(interop, 'nginx/vhosts.sh'), '{dir}', '{port}', 'mtls.internal', 'public.internal'],
};

export default defineConfig({
  targets: {
    caddy: {
      description: 'Caddy, client_auth require_and_verify, reached as api.internal',
      server: {
        kind: 'command',
        protocol: 'http',
        name: 'api.internal',
        command: ['bash', path.join(interop, 'caddy/run.sh'), '{dir}', '{port}', '{name}'],
      },
    },
    'nginx-vhosts': {
      description: 'nginx: mtls.internal requires client certificates, public.internal does not',
      server: { ...vhosts, names: { 'mtls.internal': {}, 'public.internal': { clientAuth: 'none' } } },
    },
    // One Node server for both names: client certificates asked for, and required by the
    // application unless socket.servername is the open name. A TLS 1.3 session made on the open
    // name resumes on the other (OpenSSL's server does not bind a TLS 1.3 session to its SNI).
    'node-names-by-servername': {
      description:
        'a Node server whose application requires a verified client certificate unless socket.servername is the ' +
        'open name',
      server: {
        kind: 'node',
        names: { 'mtls.internal': {}, 'public.internal': { clientAuth: 'none' } },
        options: ({ ca, cert, key, crl }) => ({
          ca,
          cert,
          key,
          crl,
          requestCert: true,
          rejectUnauthorized: false,
          ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=2',
        }),
        onConnection: (socket: TLSSocket) =>
          (socket as TLSSocket & { servername?: string }).servername === 'public.internal' || socket.authorized
            ? echoApplication(socket)
            : socket.destroy(),
      },
    },
    'nginx-vhosts-misdeclared': {
      description: 'the same nginx, its open name declared as requiring client certificates',
      server: { ...vhosts, names: { 'mtls.internal': {}, 'public.internal': {} } },
    },
  },
});
