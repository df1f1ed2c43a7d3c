/**
 * The target under test in one project (a target, a key type, a server name), and what its config says of its server.
 */
import type { ClientAuth, TargetConfig } from '../config/types.js';
import type { PinnedVersion } from '../tls.js';
import type { KeyType, Pki } from '../pki/issue.js';

export interface TargetUnderTest {
  name: string;
  key: KeyType;
  config: TargetConfig;
  pki: Pki;
  /** The name its server is reached by (the role's `name`, or this project's of its `names`): SNI and Host. */
  serverName?: string;
}

/** The server name a probe of this target dials: the project's, or the role's single `name`. */
export function serverNameOf(target: TargetUnderTest): string | undefined {
  return target.serverName ?? target.config.server?.name;
}

/** When this target's server, under this name, asks for client certificates, if at all. */
export function clientAuthOf(target: TargetUnderTest): ClientAuth {
  const name = serverNameOf(target);
  return (name && target.config.server?.names?.[name]?.clientAuth) || target.config.server?.clientAuth || 'required';
}

/**
 * Whether only a reference client that answers a post-handshake CertificateRequest can take part
 * under this version: a server that asks after the handshake, on TLS 1.3 (on TLS 1.2 it
 * renegotiates, which Node's client answers).
 */
export function postHandshakeOnly(target: TargetUnderTest, version: PinnedVersion): boolean {
  return clientAuthOf(target) === 'post-handshake' && version === 'TLSv1.3';
}

/** The target server's other names on the same address that are declared open (`clientAuth: 'none'`). */
export function openNamesOf(target: TargetUnderTest): string[] {
  const name = serverNameOf(target);
  return Object.entries(target.config.server?.names ?? {})
    .filter(([n, o]) => n !== name && o.clientAuth === 'none')
    .map(([n]) => n);
}
