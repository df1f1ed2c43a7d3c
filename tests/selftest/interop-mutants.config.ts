/**
 * Broken configurations of the real peers: each must be caught by the right property ids
 * (tests/selftest-interop.test.ts). One per stack, as the documents of each stack make easy.
 */
import path from 'node:path';
import { defineConfig } from '../../harness/config/types.js';

const interop = path.join(import.meta.dirname, '../../interop');
const WEAK_SUITES = 'NORMAL:+ARCFOUR-128:+3DES-CBC:-VERS-TLS1.0:-VERS-TLS1.1';

export default defineConfig({
  targets: {
    'openssl-optional-verify': {
      description:
        's_server -verify (asks for a certificate) without -verify_return_error: verification failures do not abort',
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
          '-verify',
          '1',
          '-rev',
        ],
      },
    },
    'openssl-client-renegotiation': {
      description:
        's_server (strict client verification) with -client_renegotiation: it lets a client renegotiate without limit',
      // Without -rev: its -rev loop sleeps a second whenever a read would block, as in a renegotiation.
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
          '-client_renegotiation',
        ],
      },
    },
    'python-trusts-resumed': {
      description:
        'a Python server with client certificates optional whose application takes a resumed session for a verified ' +
        'one',
      server: {
        kind: 'command',
        command: ['python3', '-S', path.join(import.meta.dirname, 'trusts-resumed-server.py'), '{port}'],
      },
    },
    'python-cert-none': {
      description: 'the Python client with verify_mode CERT_NONE and no host name check',
      client: {
        kind: 'command',
        command: ['python3', path.join(interop, 'python/client.py'), '8443', '--insecure'],
        port: 8443,
        host: '127.0.0.1',
      },
    },
    'gnutls-insecure': {
      description: 'gnutls-cli --insecure: goes on when the server certificate does not verify',
      client: {
        kind: 'command',
        command: [
          'sh',
          '-c',
          "printf 'hello\\n' | gnutls-cli --insecure --port {port} --x509cafile {ca} --x509certfile {cert} " +
            '--x509keyfile {key} {host}',
        ],
      },
    },
    'gnutls-default-priority': {
      description: "gnutls-serv and gnutls-cli on GnuTLS's NORMAL priority, which still enables TLS 1.0 and 1.1",
      server: {
        kind: 'command',
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
          '--require-client-cert',
          '--verify-client-cert',
          '--echo',
        ],
      },
      client: {
        kind: 'command',
        command: [
          'sh',
          '-c',
          "printf 'hello\\n' | gnutls-cli --port {port} --x509cafile {ca} --x509certfile {cert} --x509keyfile {key} " +
            '--verify-hostname {name} {host}',
        ],
      },
    },
    'gnutls-rc4-3des': {
      description: 'gnutls-serv and gnutls-cli with RC4 and 3DES added to their priority (TLS 1.0 and 1.1 off)',
      server: {
        kind: 'command',
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
          '--require-client-cert',
          '--verify-client-cert',
          '--echo',
          '--priority',
          WEAK_SUITES,
        ],
      },
      client: {
        kind: 'command',
        command: [
          'sh',
          '-c',
          `printf 'hello\\n' | gnutls-cli --port {port} --x509cafile {ca} --x509certfile {cert} --x509keyfile {key} ` +
            `--verify-hostname {name} --priority ${WEAK_SUITES} {host}`,
        ],
      },
    },
    'nginx-optional-no-ca': {
      description:
        'nginx with ssl_verify_client optional_no_ca: asks for a certificate, does not verify it against the CA',
      server: {
        kind: 'command',
        protocol: 'http',
        command: ['bash', path.join(interop, 'nginx/run.sh'), '{dir}', '{port}', 'optional_no_ca'],
      },
    },
    // The most common PostgreSQL mistake: a hostssl line with `trust` (TLS required, no certificate).
    'postgres-trust': {
      description: 'PostgreSQL 15 with `hostssl all all 127.0.0.1/32 trust`: TLS, but no client certificate needed',
      server: {
        kind: 'command',
        protocol: 'postgres',
        command: [path.join(interop, 'postgres/server.sh'), '{port}', 'trust'],
        readyWhen: 'server.sh: postgres ready',
        timeoutMs: 30_000,
      },
    },
    // And psql's: sslmode=require, which verifies nothing without a root certificate file.
    'psql-require': {
      description: 'psql with sslmode=require and no root certificate: encrypted, the server unverified',
      client: {
        kind: 'command',
        protocol: 'postgres',
        command: [path.join(interop, 'postgres/client.sh'), '{host}', '{port}', '{name}', 'require'],
      },
    },
    // MariaDB's: the user REQUIRE SSL (TLS, no certificate), secure transport on.
    'mariadb-require-ssl': {
      description: 'MariaDB with the user REQUIRE SSL: encrypted, no client certificate needed',
      server: {
        kind: 'command',
        protocol: { name: 'mysql', user: 'mtls' },
        command: [path.join(interop, 'mariadb/server.sh'), '{port}', 'SSL'],
        readyWhen: 'ready for connections',
        timeoutMs: 30_000,
      },
    },
    'mariadb-skip-verify': {
      description: 'the mariadb client with --skip-ssl-verify-server-cert',
      client: {
        kind: 'command',
        protocol: 'mysql',
        command: [path.join(interop, 'mariadb/client.sh'), '{host}', '{port}', '--skip-ssl-verify-server-cert'],
        host: '127.0.0.1',
      },
    },
    // Redis's: tls-auth-clients optional (a certificate verified if sent, none needed).
    'redis-auth-optional': {
      description: 'Redis with tls-auth-clients optional',
      server: {
        kind: 'command',
        protocol: 'redis',
        command: [path.join(interop, 'redis/server.sh'), '{port}', 'optional'],
      },
    },
    'redis-cli-insecure': {
      description: 'redis-cli with --insecure',
      client: {
        kind: 'command',
        protocol: 'redis',
        command: [path.join(interop, 'redis/client.sh'), '{host}', '{port}', '{name}', '--insecure'],
      },
    },
    // Mosquitto's: require_certificate false (anonymous clients over TLS).
    'mosquitto-no-cert': {
      description: 'Mosquitto with require_certificate false and allow_anonymous true',
      server: {
        kind: 'command',
        protocol: 'mqtt',
        command: [path.join(interop, 'mosquitto/server.sh'), '{port}', 'false'],
      },
    },
    // OpenLDAP's: TLSVerifyClient allow (a certificate asked for; none, or a bad one, let through).
    'slapd-verify-allow': {
      description: 'slapd with TLSVerifyClient allow',
      server: {
        kind: 'command',
        protocol: 'ldap',
        command: [path.join(interop, 'ldap/server.sh'), '{port}', 'allow'],
      },
    },
    // ldapsearch -Z: StartTLS tried, and the session goes on in clear when the server refuses it.
    'ldapsearch-starttls-optional': {
      description: 'ldapsearch with -Z (StartTLS not required)',
      client: {
        kind: 'command',
        protocol: 'ldap',
        command: [path.join(interop, 'ldap/client.sh'), '{host}', '{port}', '-Z'],
        host: '127.0.0.1',
      },
    },
    // Exim's: a client certificate asked for (tls_try_verify_hosts) and never required by an ACL.
    'exim-no-cert-check': {
      description: 'Exim whose MAIL ACL does not require a verified client certificate',
      server: {
        kind: 'command',
        protocol: 'smtp',
        command: [path.join(interop, 'exim/server.sh'), '{port}', 'none'],
      },
    },
    // curl --ssl: STARTTLS when offered, the mail in clear when not.
    'curl-smtp-starttls-optional': {
      description: 'curl with --ssl (STARTTLS not required)',
      client: {
        kind: 'command',
        protocol: 'smtp',
        command: [path.join(interop, 'exim/client.sh'), '{host}', '{port}', '{name}', '--ssl'],
      },
    },
    // Go's: tls.RequestClientCert (a certificate asked for, none required, none verified).
    'go-request-client-cert': {
      description: 'a Go server with ClientAuth: tls.RequestClientCert',
      server: {
        kind: 'command',
        command: [path.join(interop, 'go/run.sh'), 'server', '{port}', '{ca}', '{cert}', '{key}', 'request'],
        timeoutMs: 120_000,
      },
    },
    // And Go 1.19's default MinVersion on a server: TLS 1.0 and 1.1.
    'go-default-min-version': {
      description: 'a Go server without MinVersion (Go 1.19 takes TLS 1.0 and 1.1)',
      server: {
        kind: 'command',
        command: [path.join(interop, 'go/run.sh'), 'server', '{port}', '{ca}', '{cert}', '{key}', 'min10'],
        timeoutMs: 120_000,
      },
    },
    'java-want-client-auth': {
      description: 'a Java (JSSE) server with setWantClientAuth(true) instead of setNeedClientAuth(true)',
      server: {
        kind: 'command',
        command: [path.join(interop, 'java/run.sh'), 'server', '{port}', 'want'],
        timeoutMs: 60_000,
      },
    },
    'grpc-no-client-check': {
      description: 'a @grpc/grpc-js server with ServerCredentials.createSsl(..., checkClientCertificate = false)',
      server: {
        kind: 'command',
        protocol: 'grpc',
        command: ['node', path.join(interop, 'grpc/server.mjs'), '{port}', 'optional'],
      },
    },
    'apache-location-optional': {
      description:
        'Apache httpd asking for a certificate after the handshake for /protected with SSLVerifyClient optional ' +
        '(inside the <Location>): a client without one reaches the protected path',
      server: {
        kind: 'command',
        protocol: { name: 'http', path: '/protected' },
        clientAuth: 'post-handshake',
        command: [path.join(interop, 'apache/server.sh'), '{dir}', '{port}', 'per-location:optional', '{crl}'],
      },
    },
  },
});
