/**
 * The public config interface (mtls.config.ts). Keep it stable; extend it compatibly.
 * A plain default-exported object of this shape works; `defineConfig` only adds typing.
 */
import type { ConnectionOptions, TLSSocket, TlsOptions } from 'node:tls';

/** The fresh material of one role for one check, as PEM strings. */
export interface RoleMaterial {
  ca: string;
  cert: string;
  key: string;
}

export interface NodeServerRole {
  kind: 'node';
  /** Node `tls.createServer` options for this material; the harness picks host and port. */
  options: (material: RoleMaterial) => TlsOptions;
  /**
   * The server application: receives every socket the TLS layer hands over. Without one,
   * the application accepts whatever TLS lets through and answers `ACK <what it received>`.
   */
  onConnection?: (socket: TLSSocket) => void;
}

export interface NodeClientRole {
  kind: 'node';
  /** Node `tls.connect` options for this material; the harness adds host, port and servername. */
  options: (material: RoleMaterial) => ConnectionOptions;
}

export type ServerRole = NodeServerRole;
export type ClientRole = NodeClientRole;

export interface TargetConfig {
  description?: string;
  server?: ServerRole;
  client?: ClientRole;
}

export interface MtlsConfig {
  targets: Record<string, TargetConfig>;
}

export function defineConfig<T extends MtlsConfig>(config: T): T {
  return config;
}
