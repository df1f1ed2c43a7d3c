/**
 * The public config interface (mtls.config.ts). Keep it stable; extend it compatibly.
 * A plain default-exported object of this shape works; `defineConfig` only adds typing.
 */
import type { ProtocolConfig } from '../protocols/index.js';
import type { ConnectionOptions, TLSSocket, TlsOptions } from 'node:tls';

/** The fresh material of one role for one check, as PEM strings. */
export interface RoleMaterial {
  ca: string;
  /** The certificate, followed by the intermediates this role sends (if any). */
  cert: string;
  key: string;
  /** The intermediates alone (empty when the certificate comes alone), for programs that take them apart. */
  chain: string;
  /**
   * The CRLs of the run's CAs, one PEM each (Node reads one CRL per string: pass the array as
   * `crl`), listing the revoked twins; a program gets them all in one file, {crl}. Node checks
   * the whole chain once given any CRL, so it needs every CA's.
   */
  crl: string[];
}

/**
 * When a server asks for the client's certificate:
 * - 'required' (the default): in the handshake, and it must be there;
 * - 'post-handshake': after the handshake, for the path its protocol asks for (Apache's
 *   `SSLVerifyClient require` inside a `<Location>`): by a TLS 1.3 post-handshake
 *   CertificateRequest, or a TLS 1.2 renegotiation. Node's reference client answers the
 *   renegotiation but not the TLS 1.3 request, so on TLS 1.3 only the checks whose reference
 *   client can answer it run (the good exchange and the `*-post-handshake` checks, by Python's
 *   ssl); the others are n/a there, with that reason;
 * - 'none': the server (or name) serves clients without certificates; its client-authentication
 *   checks are n/a.
 */
export type ClientAuth = 'required' | 'post-handshake' | 'none';

/**
 * What a server name must do. Per-name checks to come (resumption across names on one address,
 * nginx CVE-2025-23419) take their options here.
 */
export interface ServerNameOptions {
  clientAuth?: ClientAuth;
}

/**
 * Who a server is to its clients. Without these, probes dial 127.0.0.1 without SNI.
 * - `name`: the DNS name clients reach it by. Probes send it as SNI and as the HTTP Host (with the
 *   port) while connecting to loopback; the good server certificate carries it; `{name}` in a
 *   server command is it.
 * - `names`: several names on one address (virtual hosts), each tested on its own, each with what
 *   it must do. Each becomes its own vitest project, `<target>:<name>`.
 * - `clientAuth`: when it asks for the client's certificate (default: in the handshake).
 * - `admits`: the client identities the server admits (`DNS:…`, `URI:…` such as a SPIFFE ID,
 *   `IP:…`). The good client certificate (and every twin of it) carries exactly these SANs, and
 *   the authorization checks run: another identity from the same CA, the admitted name in the CN
 *   only, the admitted name in another SAN type must each be rejected.
 */
export interface ServerIdentity {
  name?: string;
  names?: Record<string, ServerNameOptions>;
  admits?: string[];
  /** When the server asks for client certificates (`ClientAuth`); a name's own `clientAuth` overrides it. */
  clientAuth?: ClientAuth;
}

export interface NodeServerRole extends ServerIdentity {
  kind: 'node';
  /** Node `tls.createServer` options for this material; the harness picks host and port. */
  options: (material: RoleMaterial) => TlsOptions;
  /**
   * The server application: receives every socket the TLS layer hands over. Without one,
   * the application accepts whatever TLS lets through and answers `ACK <what it received>`.
   */
  onConnection?: (socket: TLSSocket) => void;
  /**
   * What the server speaks (default `raw`). With a protocol that starts in clear (PostgreSQL's
   * SSLRequest), the harness plays that start in front of the TLS server, as the service would.
   */
  protocol?: ProtocolConfig;
}

export interface NodeClientRole {
  kind: 'node';
  /** Node `tls.connect` options for this material; the harness adds host, port and servername. */
  options: (material: RoleMaterial) => ConnectionOptions;
  /**
   * The client application, once the handshake is done and before it writes: it may inspect the
   * socket (authorized, peer certificate) and destroy it to refuse the server.
   */
  onSecureConnect?: (socket: TLSSocket) => void;
  /** What the client speaks (default `raw`); the harness does a protocol's clear start (an SSLRequest) for it. */
  protocol?: ProtocolConfig;
}

/**
 * Any program as a role. `command` is an argv list; before start these placeholders are replaced:
 * {dir} (a fresh folder holding the material, also the working directory), {port}, {host},
 * {ca}, {cert}, {key}, {chain}, {crl} (absolute paths of the files in {dir}: {cert} holds the
 * certificate followed by any intermediates, {chain} the intermediates alone, {crl} the CRLs of
 * the run's CAs, listing its revoked certificates).
 * A client may also take {name}: the name it must verify (a DNS name or an IP address) while it
 * connects to {host}. A client that takes {name} joins the host-name checks; one that does not
 * verifies {host} and sits those checks out.
 */
export interface CommandRole {
  kind: 'command';
  command: string[];
  /** A fixed port (the document's programs use 8443); absent, the harness picks one: {port}. */
  port?: number;
  /** The loopback name or IP the client dials and verifies; default 127.0.0.1. */
  host?: string;
  /** File names in {dir}; the defaults are the document's (ca_cert.pem, server_cert.pem, ...). */
  files?: { ca?: string; cert?: string; key?: string; chain?: string; crl?: string };
  /** Extra environment for the program. */
  env?: Record<string, string>;
  /** How long the program may take to start listening (server) or to finish (client); default 10 s. */
  timeoutMs?: number;
  /**
   * The application protocol (default `raw`). A server: what the harness sends once TLS is up and
   * how the answer reads ('http': the status decides; 'postgres': an authentication request is
   * acceptance, an ErrorResponse refusal). A client: the service the harness plays for it.
   */
  protocol?: ProtocolConfig;
}

export type CommandServerRole = CommandRole &
  ServerIdentity & {
    /**
     * Text the program prints once it serves, for a service that listens before it is ready
     * (PostgreSQL: 'ready to accept connections'): the harness waits for both.
     */
    readyWhen?: string;
  };

export type CommandClientRole = CommandRole & {
  /**
   * A client started once per configuration (per spec file and material) rather than once per
   * probe, for a runtime slow to start (a JVM): it reads one request per line on its standard input,
   * `<host> <port> <name>`, dials it as a fresh client would (no session kept between lines), and ends
   * that connection's output with the line `mtls-conformance exit <status>` (0: it succeeded). Its
   * command takes none of {host}, {port}, {name}; it always verifies the name the line gives.
   */
  session?: boolean;
};

/**
 * A server that is already listening (a `docker compose` service, a test cluster): the harness
 * cannot hand it fresh certificates per check, so the run uses the PKI installed in it
 * (`MTLS_PKI=<dir>`, from `npm run certs -- <dir>`) and issues every adversarial client
 * certificate from that CA's key. Acceptance needs an answer: an echo, or `protocol: 'http'`.
 */
export interface EndpointServerRole extends ServerIdentity {
  kind: 'endpoint';
  host: string;
  port: number;
  protocol?: ProtocolConfig;
}

export type ServerRole = NodeServerRole | CommandServerRole | EndpointServerRole;
export type ClientRole = NodeClientRole | CommandClientRole;

export interface TargetConfig {
  description?: string;
  server?: ServerRole;
  client?: ClientRole;
  /**
   * Checks this target cannot take part in, each with the reason: property id, or
   * `id@TLSv1.2` / `id@TLSv1.3` for one version. Reported as waived, never as passed.
   */
  waive?: Record<string, string>;
  /**
   * Files this target's configuration lives in (relative to the config file): in watch mode
   * (`npx vitest`), a change to one reruns this target's checks.
   */
  watch?: string[];
  /**
   * A command that prints the version of what this target runs (`['openssl', 'version']`): the
   * published matrix (`npm run matrix`) shows its output. Never run by the checks.
   */
  version?: string[];
}

export interface MtlsConfig {
  targets: Record<string, TargetConfig>;
}

export function defineConfig<T extends MtlsConfig>(config: T): T {
  return config;
}
