/**
 * Targets whose verdicts must say exactly what was shown (tests/verdicts.test.ts): servers limited
 * to one TLS 1.2 suite (their suite checks' controls must still be accepted), an application that
 * never answers (decided without waiting out any deadline), and a server that never speaks TLS
 * (its checks not run, the root cause printed once).
 */
import type { TLSSocket, TlsOptions } from 'node:tls';
import { defineConfig, type RoleMaterial } from '../../harness/config/types.js';
import { documentServer } from './document.js';

const tls12With = (ciphers: string) => ({
  kind: 'node' as const,
  options: (m: RoleMaterial): TlsOptions => ({ ...documentServer(m), maxVersion: 'TLSv1.2', ciphers }),
});

export default defineConfig({
  targets: {
    'cbc-only': { description: 'TLS 1.2, ECDHE-RSA-AES128-SHA only', server: tls12With('ECDHE-RSA-AES128-SHA') },
    'static-rsa-only': { description: 'TLS 1.2, AES128-GCM-SHA256 only', server: tls12With('AES128-GCM-SHA256') },
    'silent-application': {
      description: 'the document server whose application reads what it is sent and never answers',
      server: {
        kind: 'node',
        options: documentServer,
        onConnection: (socket: TLSSocket) => {
          socket.on('data', () => {});
        },
      },
    },
    'dies-on-connect': {
      description: 'listens, then exits (status 4) on the first connection, before a word of TLS',
      server: {
        kind: 'command',
        command: [
          'node',
          '-e',
          "console.log('starting'); require('net').createServer(() => " +
            "process.exit(4)).listen(Number(process.argv[1]), '127.0.0.1')",
          '{port}',
        ],
      },
    },
    'tcp-only': {
      description: 'accepts TCP connections and never says a word of TLS',
      server: {
        kind: 'command',
        command: [
          'node',
          '-e',
          "require('net').createServer(() => {}).listen(Number(process.argv[1]), '127.0.0.1')",
          '{port}',
        ],
      },
    },
  },
});
