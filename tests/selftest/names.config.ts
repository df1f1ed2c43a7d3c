/**
 * Servers reached by name (tests/names.test.ts): Caddy, which with client authentication on
 * answers 421 to a request whose SNI and Host disagree (or that has no SNI); nginx with two
 * virtual hosts on one address, one requiring client certificates and one open, declared
 * rightly, and declared as if both required them.
 */
import path from 'node:path';
import { defineConfig } from '../../harness/config/types.js';

const interop = path.join(import.meta.dirname, '../../interop');
const vhosts = { kind: 'command' as const, protocol: 'http' as const, command: ['bash', path.join(interop, 'nginx/vhosts.sh'), '{dir}', '{port}', 'mtls.internal', 'public.internal'] };

export default defineConfig({
  targets: {
    caddy: {
      description: 'Caddy, client_auth require_and_verify, reached as api.internal',
      server: { kind: 'command', protocol: 'http', name: 'api.internal', command: ['bash', path.join(interop, 'caddy/run.sh'), '{dir}', '{port}', '{name}'] },
    },
    'nginx-vhosts': {
      description: 'nginx: mtls.internal requires client certificates, public.internal does not',
      server: { ...vhosts, names: { 'mtls.internal': {}, 'public.internal': { clientAuth: 'none' } } },
    },
    'nginx-vhosts-misdeclared': {
      description: 'the same nginx, its open name declared as requiring client certificates',
      server: { ...vhosts, names: { 'mtls.internal': {}, 'public.internal': {} } },
    },
  },
});
