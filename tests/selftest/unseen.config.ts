/**
 * Behaviours of programs nobody here configured (tests/unseen.test.ts): a client that verifies
 * the host it dials (localhost) and takes no name; clients that retry after a failed handshake,
 * correctly or falling back to no verification; a server whose application answers 403; a
 * server program whose bind fails.
 */
import path from 'node:path';
import { defineConfig } from '../../harness/config/types.js';

const programs = path.join(import.meta.dirname, 'programs');
const script = path.join(programs, 'tls-client.mjs');
// The material every client here is given, by the harness's placeholders.
const files = ['--ca', '{ca}', '--cert', '{cert}', '--key', '{key}', '--crl', '{crl}'];
const client = (...more: string[]) => ['node', script, '--host', '{host}', '--port', '{port}', ...files, ...more];
// A session client: one process per configuration, a connection per line of its stdin.
const session = (mode: 'verifying' | 'trusting') => ({
  kind: 'command' as const,
  command: ['node', script, '--session', mode, ...files],
  session: true,
});
// A port the test holds: the program below tries to bind it as well as its own.
const held = process.env.MTLS_SELFTEST_HELD_PORT ?? '1';

export default defineConfig({
  targets: {
    'localhost-client': { client: { kind: 'command', command: client(), host: 'localhost' } },
    'retrying-client': { client: { kind: 'command', command: client('--name', '{name}', '--retry', 'once') } },
    'retrying-lenient-client': {
      client: { kind: 'command', command: client('--name', '{name}', '--retry', 'lenient') },
    },
    'session-client': { client: session('verifying') },
    'session-trusting-client': { client: session('trusting') },
    'http-403': {
      server: {
        kind: 'command',
        protocol: 'http',
        command: ['node', path.join(programs, 'http-403-server.mjs'), '{port}', '{ca}', '{cert}', '{key}'],
      },
    },
    'bind-fails': {
      server: {
        kind: 'command',
        command: [
          'python3',
          '-c',
          'import socket, sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1]))); print("never here")',
          held,
        ],
      },
    },
  },
});
