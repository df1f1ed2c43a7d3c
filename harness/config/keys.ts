/**
 * The keys each kind of role takes: one declaration, which the loader checks every role against
 * (any other key ends the run, exit 2, naming the closest valid one). `satisfies` ties each list
 * to its type in types.ts: a key added to a role's type and not here, or here and not there, is a
 * compile error (npm run typecheck).
 */
import type {
  ClientAuth,
  CommandClientRole,
  CommandRole,
  CommandServerRole,
  EndpointServerRole,
  NodeClientRole,
  NodeServerRole,
  ServerIdentity,
} from './types.js';

type KeysOf<T> = { [K in keyof Required<T>]: true };

/** Who a server is to its clients: every server kind takes these (`ServerIdentity`). */
const SERVER_IDENTITY = { name: true, names: true, admits: true, clientAuth: true } satisfies KeysOf<ServerIdentity>;

const NODE_SERVER = {
  kind: true,
  options: true,
  onConnection: true,
  protocol: true,
  ...SERVER_IDENTITY,
} satisfies KeysOf<NodeServerRole>;
const NODE_CLIENT = {
  kind: true,
  options: true,
  onSecureConnect: true,
  protocol: true,
} satisfies KeysOf<NodeClientRole>;
const COMMAND_ROLE = {
  kind: true,
  command: true,
  port: true,
  host: true,
  files: true,
  env: true,
  timeoutMs: true,
  protocol: true,
} satisfies KeysOf<CommandRole>;
const COMMAND_CLIENT = { ...COMMAND_ROLE, session: true } satisfies KeysOf<CommandClientRole>;
/** A command server is a command role that also says who it is to its clients. */
const COMMAND_SERVER = { ...COMMAND_ROLE, readyWhen: true, ...SERVER_IDENTITY } satisfies KeysOf<CommandServerRole>;
const ENDPOINT_SERVER = {
  kind: true,
  host: true,
  port: true,
  protocol: true,
  ...SERVER_IDENTITY,
} satisfies KeysOf<EndpointServerRole>;

export const ROLE_KEYS: Record<
  'node' | 'command' | 'endpoint',
  Partial<Record<'server' | 'client', readonly string[]>>
> = {
  node: { server: Object.keys(NODE_SERVER), client: Object.keys(NODE_CLIENT) },
  command: { server: Object.keys(COMMAND_SERVER), client: Object.keys(COMMAND_CLIENT) },
  endpoint: { server: Object.keys(ENDPOINT_SERVER) },
};

/** The keys of a target itself. */
export const TARGET_KEYS = ['server', 'client', 'description', 'waive', 'watch', 'version'] as const;

/** The values of `clientAuth`, for the loader's message; `satisfies` keeps it to the type. */
export const CLIENT_AUTH: readonly ClientAuth[] = ['required', 'post-handshake', 'none'] satisfies Array<ClientAuth>;
