/**
 * The target under test in one project (a target, a key type, a server name), and what its config says of its server.
 */
import type { TargetConfig } from '../config/types.js';
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

/** Whether this target's server, under this name, asks for client certificates at all. */
export function clientAuthOf(target: TargetUnderTest): 'required' | 'none' {
  const name = serverNameOf(target);
  return (name && target.config.server?.names?.[name]?.clientAuth) || 'required';
}

/** The target server's other names on the same address that are declared open (`clientAuth: 'none'`). */
export function openNamesOf(target: TargetUnderTest): string[] {
  const name = serverNameOf(target);
  return Object.entries(target.config.server?.names ?? {})
    .filter(([n, o]) => n !== name && o.clientAuth === 'none')
    .map(([n]) => n);
}
