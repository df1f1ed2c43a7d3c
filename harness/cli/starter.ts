/** The starter mtls.config.ts that `mtls-conformance init` writes. */

export type StarterPart = 'server' | 'client' | 'endpoint';

const HEAD = `/**
 * mtls-conformance: the targets under test. Each run issues a fresh PKI (a CA, a server and a
 * client certificate, and the broken variants the checks need) and hands each role its files.
 * Placeholders in a command: {port} {host} {name}, and the files {ca} {cert} {key} {chain} {crl} in
 * {dir}, the program's working folder (keys 0600): so name your programs by absolute path.
 * A role a target leaves out is not tested; \`npx mtls-conformance --help\` lists the run options.
 */
import path from 'node:path';
import { defineConfig } from 'mtls-conformance';

const here = import.meta.dirname;

export default defineConfig({
  targets: {
`;

const PARTS: Record<StarterPart, string> = {
  server: `    // Your server, started once per spec file, on a port the harness picks. It must require a
    // client certificate signed by {ca}. 'raw' (the default): it echoes what it reads, or answers;
    // protocol: 'http' when it speaks HTTP/1.1 (a 2xx is acceptance; 400, 421, 495, 496 a refusal).
    'my-server': {
      server: {
        kind: 'command',
        command: ['node', path.join(here, 'server.js'), '--port', '{port}',
          '--ca', '{ca}', '--cert', '{cert}', '--key', '{key}'],
        // protocol: 'http',
      },
    },
`,
  client: `    // Your client, run once per check against the harness's server on {host}:{port}. It must send
    // what it would send and print what it gets back; it verifies the server as {name}.
    'my-client': {
      client: {
        kind: 'command',
        command: ['node', path.join(here, 'client.js'), '--host', '{host}', '--port', '{port}', '--name', '{name}',
          '--ca', '{ca}', '--cert', '{cert}', '--key', '{key}'],
      },
    },
`,
  endpoint: `    // A service that is already running, with a server certificate issued from the CA of MTLS_PKI
    // (\`npx mtls-conformance certs <dir>\` writes one; MTLS_PKI=<dir> then gives the run that CA).
    'my-endpoint': {
      server: { kind: 'endpoint', host: '127.0.0.1', port: 8443 },
    },
`,
};

/** One part live, or (none asked for) all three as commented examples to uncomment. */
export function starterConfig(part?: StarterPart): string {
  const body = part
    ? PARTS[part]
    : `    // Uncomment the target you have (or several), and fill in its command.\n` +
      Object.values(PARTS)
        .map((text) =>
          text
            .split('\n')
            .map((l) => (l.trim() === '' || l.trimStart().startsWith('//') ? l : `    // ${l.slice(4)}`))
            .join('\n'),
        )
        .join('\n');
  return `${HEAD}${body}  },\n});\n`;
}
