/**
 * Real TLS stacks nobody here wrote, as command targets: `npm run interop` (and `npm test`)
 * runs the conformance specs against each. Where a program cannot take part in a check, the
 * target says why, and the check is reported as waived.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { defineConfig } from '../harness/config/types.js';

const here = import.meta.dirname;
// The interpreter itself, not a version manager's shim in front of it (pyenv's costs ~0.2 s a
// start, and the python targets start a program per probe), and without site packages (-S): the
// programs need only the standard library. Resolved once per process.
const PYTHON = (process.env.MTLS_PYTHON ??= (() => {
  try {
    return (
      execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
        encoding: 'utf8',
        timeout: 10_000,
      }).trim() || 'python3'
    );
  } catch {
    return 'python3';
  }
})());
const python = (file: string, ...args: string[]) => [PYTHON, '-S', py(file), ...args];
const py = (file: string) => path.join(here, file);
/** A client program that sends one line on stdin, then prints what it gets until the server closes. */
// GnuTLS's NORMAL priority (3.7, Debian bookworm) still enables TLS 1.0 and 1.1 in both programs;
// a deployment must switch them off, as here (tests/selftest-interop.test.ts catches the default).
const GNUTLS_PRIORITY = 'NORMAL:-VERS-TLS1.0:-VERS-TLS1.1';
const withInput = (line: string, argv: string) => ['sh', '-c', `printf '${line}\\n' | ${argv}`];

export default defineConfig({
  targets: {
    document: {
      description: "the tutorial's own server.py and client.py, unedited",
      server: { kind: 'command', command: python('document/server.py'), port: 8443 },
      client: { kind: 'command', command: python('document/client.py'), port: 8443, host: '127.0.0.1' },
    },
    python: {
      description:
        "Python ssl: programs like the document's, on a port the harness picks; the server serves until stopped and " +
        'answers, the client prints the answer',
      // --crl: the run's CRLs, the whole chain checked (VERIFY_CRL_CHECK_CHAIN).
      server: { kind: 'command', command: python('python/server.py', '{port}', '--crl', '{crl}') },
      client: {
        kind: 'command',
        command: python('python/client.py', '{port}', '{name}', '--crl', '{crl}'),
        host: '127.0.0.1',
      },
    },
    openssl: {
      description: 'OpenSSL s_server (strict client verification) and s_client',
      server: {
        kind: 'command',
        // -rev answers every line (reversed): the program's answer is the evidence of acceptance.
        // Revocation: -CRL reads one CRL and a chain needs one per CA, so the CRLs go into the CA
        // file (OpenSSL loads certificates and CRLs from it) and -crl_check_all checks the chain.
        command: [
          'sh',
          '-c',
          `cat {ca} {crl} > ca_and_crls.pem && exec openssl s_server -accept 127.0.0.1:{port} \
-cert {cert} -key {key} -CAfile ca_and_crls.pem -Verify 1 -verify_return_error -crl_check_all -rev`,
        ],
      },
      client: {
        kind: 'command',
        // The name to verify is an IP (-verify_ip) or a DNS name (-verify_hostname, also sent as SNI).
        // Revocation: the CRLs go into its CA file, as for s_server.
        command: [
          'sh',
          '-c',
          `case '{name}' in *:*) verify='-verify_ip {name}';; \
*[!0-9.]*) verify='-verify_hostname {name} -servername {name}';; *) verify='-verify_ip {name}';; esac
cat {ca} {crl} > client_ca_and_crls.pem
printf 'hello from s_client\\n' | openssl s_client -connect {host}:{port} -CAfile client_ca_and_crls.pem \
-crl_check_all -cert {cert} -key {key} -verify_return_error $verify -ign_eof`,
        ],
      },
    },
    gnutls: {
      description: 'GnuTLS gnutls-serv (client certificate required and verified) and gnutls-cli',
      server: {
        kind: 'command',
        // --x509crlfile: the run's CRLs, so the server refuses a revoked client certificate.
        command: [
          'gnutls-serv',
          '--port',
          '{port}',
          '--x509certfile',
          '{cert}',
          '--x509keyfile',
          '{key}',
          '--x509cafile',
          '{ca}',
          '--x509crlfile',
          '{crl}',
          '--require-client-cert',
          '--verify-client-cert',
          '--echo',
          '--priority',
          GNUTLS_PRIORITY,
        ],
      },
      client: {
        kind: 'command',
        // No CRL: gnutls-cli refuses a CRL file whose CRLs it cannot verify against --x509cafile
        // (the intermediate CAs' own), so its revocation check is reported as a finding.
        command: withInput(
          'hello from gnutls-cli',
          `gnutls-cli --port {port} --x509cafile {ca} --x509certfile {cert} --x509keyfile {key} --verify-hostname ` +
            `{name} --priority ${GNUTLS_PRIORITY} {host}`,
        ),
      },
      waive: {
        'cauth.reject-eku-server-only':
          'FINDING, not a pass: gnutls-serv verifies the client chain without a key purpose, so it accepts a client ' +
          'certificate whose EKU allows serverAuth only (GnuTLS checks the purpose only when the application asks ' +
          'for it)',
      },
    },
    nginx: {
      description: 'nginx as an HTTP server requiring client certificates (ssl_verify_client on)',
      // ssl_crl: the run's CRLs (nginx checks the whole chain against them).
      server: {
        kind: 'command',
        protocol: 'http',
        command: ['bash', path.join(here, 'nginx/run.sh'), '{dir}', '{port}', 'on', '2', '{crl}'],
      },
    },
  },
});
