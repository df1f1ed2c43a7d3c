/** The application protocols a server role may speak (`protocol` in the config), by name. */
import { http } from './http.js';
import { raw } from './raw.js';
import type { AppProtocol } from './types.js';

export const PROTOCOLS = { raw, http } as const satisfies Record<string, AppProtocol>;
export type ProtocolName = keyof typeof PROTOCOLS;
export const PROTOCOL_NAMES = Object.keys(PROTOCOLS) as ProtocolName[];

/** The protocol of a role; `raw` when it names none. */
export const protocolOf = (name: ProtocolName | undefined): AppProtocol => PROTOCOLS[name ?? 'raw'];
