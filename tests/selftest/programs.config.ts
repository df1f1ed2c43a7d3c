/**
 * Correct programs written by others, each asked only what its property needs
 * (tests/programs.test.ts): a server that never answers and prints what it receives, one that
 * prints no identity, a client that prints nothing of the server, and an nginx on its default
 * verify depth, whose refusal of a two-intermediate chain is a failed control, not a failed property.
 */
import path from 'node:path';
import { defineConfig } from '../../harness/config/types.js';

const interop = path.join(import.meta.dirname, '../../interop');
const STUNNEL_CONF = [
  'foreground = yes',
  'pid =',
  '[mtls]',
  'accept = 127.0.0.1:{port}',
  'cert = {cert}',
  'key = {key}',
  'CAfile = {ca}',
  'verifyChain = yes',
  'requireCert = yes',
  'exec = /bin/cat',
].join('\\n');

export default defineConfig({
  targets: {
    'openssl-no-rev': {
      description:
        's_server with strict client verification, no -rev and no -www: it prints what it receives, answers ' +
        'nothing, and reads its stdin',
      server: {
        kind: 'command',
        command: [
          'openssl',
          's_server',
          '-accept',
          '127.0.0.1:{port}',
          '-cert',
          '{cert}',
          '-key',
          '{key}',
          '-CAfile',
          '{ca}',
          '-Verify',
          '1',
          '-verify_return_error',
        ],
      },
    },
    'stunnel-cat': {
      description:
        'stunnel requiring a verified client certificate, handing each connection to cat: it echoes, and prints no ' +
        'identity',
      server: {
        kind: 'command',
        command: ['sh', '-c', `printf '${STUNNEL_CONF}\\n' > {dir}/stunnel.conf && exec stunnel4 {dir}/stunnel.conf`],
      },
    },
    curl: {
      description:
        'curl as an mTLS client: prints nothing of the server identity, and nothing of an answer that is not HTTP',
      client: {
        kind: 'command',
        command: [
          'curl',
          '-sS',
          '--max-time',
          '10',
          '--cacert',
          '{ca}',
          '--cert',
          '{cert}',
          '--key',
          '{key}',
          'https://{host}:{port}/',
        ],
      },
    },
    'nginx-verify-depth-1': {
      description:
        'nginx on its default ssl_verify_depth 1: refuses any chain of two intermediates, so the path-length ' +
        "check's control fails",
      server: {
        kind: 'command',
        protocol: 'http',
        command: ['bash', path.join(interop, 'nginx/run.sh'), '{dir}', '{port}', 'on', '1'],
      },
    },
  },
});
