/** The application protocols a server role may speak (`protocol` in the config), by name. */
import { http, httpWith, type HttpOptions } from './http.js';
import { raw } from './raw.js';
import type { AppProtocol } from './types.js';

export const PROTOCOLS = { raw, http } as const satisfies Record<string, AppProtocol>;
export type ProtocolName = keyof typeof PROTOCOLS;
export const PROTOCOL_NAMES = Object.keys(PROTOCOLS) as ProtocolName[];

/** A role's `protocol`: a name, or the name with its options. */
export type ProtocolConfig = ProtocolName | { name: 'raw' } | ({ name: 'http' } & HttpOptions);

/** The protocol of a role; `raw` when it names none. */
export function protocolOf(config: ProtocolConfig | undefined): AppProtocol {
  if (config === undefined || typeof config === 'string') return PROTOCOLS[config ?? 'raw'];
  return config.name === 'http' ? httpWith(config) : PROTOCOLS[config.name];
}
