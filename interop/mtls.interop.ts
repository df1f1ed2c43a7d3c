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
// libpq (PostgreSQL 15 docs, 34.19.1): "If the connection is made using an IP address instead of a
// host name, the IP address will be matched ... against SANs of type iPAddress or dNSName".
const LIBPQ_IP_AS_DNS =
  'FINDING, not a pass: libpq matches an IP address against dNSName SANs too, so a certificate whose DNS SAN ' +
  'spells the address passes (PostgreSQL 15 docs, 34.19.1: "matched ... against SANs of type iPAddress or dNSName")';
/** The matrix's version line (npm run matrix): a shell line whose output names what the target runs. */
const version = (script: string) => ['sh', '-c', script];
const PYTHON_VERSION = version(
  `${PYTHON} -S -c 'import ssl, sys; print("Python", sys.version.split()[0], "with", ssl.OPENSSL_VERSION)'`,
);
const withInput = (line: string, argv: string) => ['sh', '-c', `printf '${line}\\n' | ${argv}`];

export default defineConfig({
  targets: {
    document: {
      description: "the tutorial's own server.py and client.py, unedited",
      version: PYTHON_VERSION,
      server: { kind: 'command', command: python('document/server.py'), port: 8443 },
      client: { kind: 'command', command: python('document/client.py'), port: 8443, host: '127.0.0.1' },
    },
    python: {
      description:
        "Python ssl: programs like the document's, on a port the harness picks; the server serves until stopped and " +
        'answers, the client prints the answer',
      // --crl: the run's CRLs, the whole chain checked (VERIFY_CRL_CHECK_CHAIN).
      version: PYTHON_VERSION,
      server: { kind: 'command', command: python('python/server.py', '{port}', '--crl', '{crl}') },
      client: {
        kind: 'command',
        command: python('python/client.py', '{port}', '{name}', '--crl', '{crl}'),
        host: '127.0.0.1',
      },
    },
    openssl: {
      description: 'OpenSSL s_server (strict client verification) and s_client',
      version: version('openssl version'),
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
      version: version('gnutls-serv --version | head -1; gnutls-cli --version | head -1'),
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
      version: version('nginx -v 2>&1; openssl version'),
      server: {
        kind: 'command',
        protocol: 'http',
        command: ['bash', path.join(here, 'nginx/run.sh'), '{dir}', '{port}', 'on', '2', '{crl}'],
      },
    },
    apache: {
      description:
        "Apache httpd 2.4 (mod_ssl, SSLVerifyClient require for the whole server, the run's CRLs for the chain)",
      version: version('apache2 -v | head -1'),
      server: {
        kind: 'command',
        protocol: 'http',
        command: [path.join(here, 'apache/server.sh'), '{dir}', '{port}', 'server-wide', '{crl}'],
      },
    },
    'apache-h2': {
      description: 'Apache httpd 2.4 (mod_ssl, SSLVerifyClient require) speaking HTTP/2 only (mod_http2, Protocols h2)',
      version: version('apache2 -v | head -1'),
      server: {
        kind: 'command',
        protocol: 'h2',
        command: [path.join(here, 'apache/server.sh'), '{dir}', '{port}', 'server-wide-h2', '{crl}'],
      },
    },
    'apache-location': {
      description:
        'Apache httpd 2.4 (mod_ssl) asking for the client certificate only for /protected (SSLVerifyClient ' +
        'require inside a <Location>): after the handshake, by TLS 1.3 post-handshake authentication or a TLS 1.2 ' +
        'renegotiation',
      version: version('apache2 -v | head -1'),
      server: {
        kind: 'command',
        protocol: { name: 'http', path: '/protected' },
        clientAuth: 'post-handshake',
        command: [path.join(here, 'apache/server.sh'), '{dir}', '{port}', 'per-location', '{crl}'],
      },
    },
    caddy: {
      description: 'Caddy 2 (client_auth require_and_verify; its default strict SNI/Host agreement), reached by name',
      version: version('caddy version'),
      server: {
        kind: 'command',
        protocol: 'http',
        name: 'api.internal',
        command: [path.join(here, 'caddy/run.sh'), '{dir}', '{port}', '{name}'],
      },
    },
    stunnel: {
      description: "stunnel 5 (verifyChain, requireCert, the run's CRLs) handing each connection to cat: an echo",
      version: version("stunnel4 -version 2>&1 | grep -m1 '^stunnel '"),
      server: {
        kind: 'command',
        command: [path.join(here, 'stunnel/run.sh'), 'server', '{dir}', '{port}'],
      },
    },
    curl: {
      description: "curl as an HTTPS client (its CA file, the run's CRLs, the name it is given verified)",
      version: version('curl --version | head -1'),
      client: {
        kind: 'command',
        protocol: 'http',
        command: [path.join(here, 'curl/client.sh'), '{host}', '{port}', '{name}'],
      },
    },
    java: {
      description:
        "Java 17's JSSE (the standard library only): a server with setNeedClientAuth and a client with HTTPS " +
        "endpoint identification, both on PKIX with the run's CRLs, on raw TLS",
      version: version('java -version 2>&1 | head -1'),
      server: {
        kind: 'command',
        command: [path.join(here, 'java/run.sh'), 'server', '{port}'],
        // The first start compiles the program (seconds; once per machine and source).
        timeoutMs: 60_000,
      },
      client: {
        kind: 'command',
        command: [path.join(here, 'java/run.sh'), 'clients'],
        // One JVM per configuration, a dial per line: a JVM per probe was most of the interop run's CPU.
        session: true,
        timeoutMs: 60_000,
      },
    },
    grpc: {
      description:
        "gRPC on @grpc/grpc-js (Node's TLS): a server with createSsl(checkClientCertificate) serving the health " +
        'check, and a client calling it, over HTTP/2 with ALPN h2',
      version: version(
        `node -p '"@grpc/grpc-js " + require("@grpc/grpc-js/package.json").version + " on Node " + process.version'`,
      ),
      server: {
        kind: 'command',
        protocol: 'grpc',
        command: ['node', path.join(here, 'grpc/server.mjs'), '{port}'],
      },
      client: {
        kind: 'command',
        protocol: 'grpc',
        command: ['node', '--no-deprecation', path.join(here, 'grpc/client.mjs'), '--session'],
        // One process per configuration, a call per line: a Node start per probe was most of this target's CPU.
        session: true,
      },
    },
    postgres: {
      description:
        "PostgreSQL 15 (hostssl only, `cert` authentication, the run's CRLs) and psql (sslmode=verify-full), " +
        'spoken in their own protocol: SSLRequest, TLS, StartupMessage',
      version: version('/usr/lib/postgresql/15/bin/postgres --version; psql --version'),
      server: {
        kind: 'command',
        protocol: 'postgres',
        command: [path.join(here, 'postgres/server.sh'), '{port}'],
        // It listens before it serves (57P03 "the database system is starting up" meanwhile): its
        // script says when it serves, and its System V segment will not outlive it.
        readyWhen: 'server.sh: postgres ready',
        timeoutMs: 30_000,
      },
      client: {
        kind: 'command',
        protocol: 'postgres',
        command: [path.join(here, 'postgres/client.sh'), '{host}', '{port}', '{name}'],
      },
      waive: {
        'host.reject-ipv4-in-dns-san': LIBPQ_IP_AS_DNS,
        'host.reject-ipv6-in-dns-san': LIBPQ_IP_AS_DNS,
        'sauth.reject-dns-only-for-ip':
          'FINDING, not a pass: libpq, verifying an IP address, falls back to the CN when the certificate has no ' +
          'iPAddress SAN and no matching dNSName ("If no iPAddress SAN is present and no matching dNSName SAN is ' +
          'present, the host IP address is matched against the Common Name attribute", PostgreSQL 15 docs, 34.19.1)',
      },
    },
    mariadb: {
      description:
        "MariaDB 10.11 (secure transport required, the user REQUIRE X509, the run's CRLs) and the mariadb client " +
        '(--ssl-verify-server-cert), in their own protocol: greeting, SSLRequest, TLS, HandshakeResponse',
      version: version('mariadbd --version; mariadb --version'),
      server: {
        kind: 'command',
        protocol: { name: 'mysql', user: 'mtls' },
        command: [path.join(here, 'mariadb/server.sh'), '{port}'],
        readyWhen: 'ready for connections',
        timeoutMs: 30_000,
      },
      client: {
        kind: 'command',
        protocol: 'mysql',
        command: [path.join(here, 'mariadb/client.sh'), '{host}', '{port}'],
        host: '127.0.0.1',
      },
      waive: {
        'host.reject-ipv4-in-dns-san':
          'FINDING, not a pass: the mariadb client (Connector/C) accepts a server certificate whose dNSName SAN ' +
          'spells the IP address it dials, with no iPAddress SAN',
      },
    },
    redis: {
      description: 'Redis 7 (TLS port only, tls-auth-clients yes) and redis-cli (--tls, the name as SNI), in RESP',
      version: version('redis-server --version | cut -d" " -f1-3; redis-cli --version'),
      server: { kind: 'command', protocol: 'redis', command: [path.join(here, 'redis/server.sh'), '{port}'] },
      client: {
        kind: 'command',
        protocol: 'redis',
        command: [path.join(here, 'redis/client.sh'), '{host}', '{port}', '{name}'],
      },
      // redis-cli (hiredis) verifies the chain and sends --sni, but checks no name: every check of
      // the server's name is its finding.
      waive: Object.fromEntries(
        [
          'sauth.reject-dns-mismatch',
          'sauth.reject-dns-only-for-ip',
          'host.reject-cn-when-san-present',
          'host.reject-dns-only-for-ipv6',
          'host.reject-ipv4-in-dns-san',
          'host.reject-ipv6-in-dns-san',
          'host.reject-uri-san-only',
          'host.reject-wildcard-bare-domain',
          'host.reject-wildcard-two-labels',
        ].map((id) => [
          id,
          'FINDING, not a pass: redis-cli 7 (hiredis) verifies the server certificate chain but not its name: ' +
            'any certificate from the trusted CA is accepted for any host',
        ]),
      ),
    },
    mosquitto: {
      description:
        "Mosquitto 2 (require_certificate, the certificate's CN as the user name, the run's CRLs) and " +
        'mosquitto_pub, in MQTT 3.1.1',
      version: version('mosquitto -h | head -1; mosquitto_pub --version 2>/dev/null | head -1; true'),
      server: { kind: 'command', protocol: 'mqtt', command: [path.join(here, 'mosquitto/server.sh'), '{port}'] },
      client: {
        kind: 'command',
        protocol: 'mqtt',
        // It verifies the name it dials (-h): localhost, which the server certificate carries.
        command: [path.join(here, 'mosquitto/client.sh'), '{host}', '{port}'],
        host: 'localhost',
      },
    },
    ldap: {
      description:
        "OpenLDAP 2.5's slapd (StartTLS, TLSVerifyClient demand, the run's CRLs, no operation in clear) and " +
        'ldapsearch (-ZZ), in LDAP: StartTLS, TLS, an anonymous bind',
      version: version(
        "for p in slapd ldapsearch; do $p -VV 2>&1 | sed -n 's/.*OpenLDAP: \\([a-z]* [^ ]*\\).*/\\1/p'; done",
      ),
      server: { kind: 'command', protocol: 'ldap', command: [path.join(here, 'ldap/server.sh'), '{port}'] },
      client: {
        kind: 'command',
        protocol: 'ldap',
        command: [path.join(here, 'ldap/client.sh'), '{host}', '{port}'],
        // libldap verifies the host it dials, and dialling `localhost` it verifies the machine's
        // own name instead (seen: "hostname (vm) does not match"): it dials the address.
        host: '127.0.0.1',
      },
      waive: {
        'cauth.reject-eku-server-only':
          'FINDING, not a pass: slapd (on GnuTLS) verifies the client chain without a key purpose, so it accepts ' +
          'a client certificate whose EKU allows serverAuth only',
        'sauth.reject-eku-client-only':
          'FINDING, not a pass: ldapsearch (libldap on GnuTLS) verifies the server chain without a key purpose, so ' +
          'it accepts a server certificate whose EKU allows clientAuth only',
        'host.reject-ipv4-in-dns-san':
          'FINDING, not a pass: libldap accepts a server certificate whose dNSName SAN spells the IP address it ' +
          'dials, with no iPAddress SAN',
        'sauth.reject-dns-only-for-ip':
          'FINDING, not a pass: libldap, dialling an IP address, accepts a server certificate with no iPAddress SAN ' +
          'whose CN spells the address (a fallback to the CN)',
        'reneg.strict-limit-client-initiated@TLSv1.2':
          'FINDING, not a pass: slapd (on GnuTLS) lets a client renegotiate 10 times on some connections and closes ' +
          'others, the same configuration run after run: seen both ways, so neither verdict would hold',
      },
    },
    exim: {
      description:
        'Exim 4.96 (STARTTLS, a client certificate asked for and verified against the CA and the CRLs, mail ' +
        'refused at MAIL FROM without one: 550 5.7.1) and curl (--ssl-reqd), in SMTP: EHLO, STARTTLS, TLS, EHLO, ' +
        'MAIL FROM, RCPT TO',
      version: version('exim4 -bV | head -1; curl --version | head -1 | cut -d" " -f1-5'),
      server: { kind: 'command', protocol: 'smtp', command: [path.join(here, 'exim/server.sh'), '{port}'] },
      client: {
        kind: 'command',
        protocol: 'smtp',
        command: [path.join(here, 'exim/client.sh'), '{host}', '{port}', '{name}'],
      },
      waive: {
        'cauth.reject-eku-server-only':
          'FINDING, not a pass: Exim (on GnuTLS) verifies the client chain without a key purpose, so it accepts a ' +
          'client certificate whose EKU allows serverAuth only',
      },
    },
    go: {
      description:
        "Go's crypto/tls (Go 1.19, the standard library only): a server with RequireAndVerifyClientCert and a " +
        'client, both with MinVersion TLS 1.2, on raw TLS',
      version: version('go version'),
      server: {
        kind: 'command',
        command: [path.join(here, 'go/run.sh'), 'server', '{port}', '{ca}', '{cert}', '{key}'],
        // The first start builds the program (seconds; once per machine and source).
        timeoutMs: 120_000,
      },
      client: {
        kind: 'command',
        command: [path.join(here, 'go/run.sh'), 'client', '{host}', '{port}', '{name}', '{ca}', '{cert}', '{key}'],
        timeoutMs: 120_000,
      },
    },
  },
});
