/**
 * Finds, loads and validates the config file: `MTLS_CONFIG` (a .ts, .mts, .mjs or .js path,
 * relative to the working directory) or the repository's mtls.config.ts. Every problem becomes
 * a ConfigError whose message names the file, the target and the field.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ClientAuth, MtlsConfig, TargetConfig } from './types.js';
import { CATALOGUE } from '../catalogue.js';
import { KEY_TYPES } from '../pki/issue.js';
import { TLS_VERSIONS } from '../tls.js';
import { CLIENT_AUTH, ROLE_KEYS, TARGET_KEYS } from './keys.js';
import { PROTOCOL_NAMES, PROTOCOL_OPTIONS, type ProtocolName } from '../protocols/index.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Ends the process on a ConfigError with its message alone: the message already names the
 * file, target and field, and a stack trace of the loader would only bury it.
 */
export function exitOnConfigError(err: unknown): never {
  if ((err as Error)?.name === 'ConfigError') {
    process.stderr.write(`\nmtls-conformance: ${(err as Error).message}\n\n`);
    removeBundledConfig();
    process.exit(2);
  }
  throw err;
}

/**
 * Vite runs vitest.config.ts from a bundle it writes to node_modules/.vite-temp and removes once
 * the import returns; an exit during that import would leave it behind, one file per refused run.
 * The bundle is on the stack here (vite rewrites import.meta.url, not the stack).
 */
function removeBundledConfig(): void {
  for (const [, url] of (new Error().stack ?? '').matchAll(/(file:\/\/\S+?\/\.vite-temp\/[^\s:)]+\.mjs)/g)) {
    try {
      rmSync(fileURLToPath(url!), { force: true });
    } catch {
      /* not ours to remove after all */
    }
  }
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `.ts` when run from source (this repository), `.js` from the package's compiled files. */
export const SOURCE_EXT = path.extname(fileURLToPath(import.meta.url));
const EXTENSIONS = ['.ts', '.mts', '.mjs', '.js'];
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function configPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const given = env.MTLS_CONFIG;
  // The built-in reference target: this repository's mtls.config.ts, or the package's compiled copy.
  if (given === undefined || given === '')
    return ['mtls.config.ts', 'mtls.config.js'].map((f) => path.join(REPO_ROOT, f)).find((f) => existsSync(f))!;
  const resolved = path.resolve(cwd, given);
  if (!existsSync(resolved)) throw new ConfigError(`MTLS_CONFIG=${given}: no such file (${resolved})`);
  if (!statSync(resolved).isFile()) throw new ConfigError(`MTLS_CONFIG=${given}: not a file (${resolved})`);
  if (!EXTENSIONS.includes(path.extname(resolved))) {
    throw new ConfigError(
      `MTLS_CONFIG=${given}: expected a ${EXTENSIONS.join(', ')} file, got ` +
        `'${path.extname(resolved) || 'no extension'}'`,
    );
  }
  return resolved;
}

export type Importer = (url: string) => Promise<unknown>;

/**
 * Outside vitest's module runner, Vite's own runner loads .ts from anywhere (Node 20 has no type
 * stripping). vitest has Vite loaded already, so this costs ~110 ms where tsx's esbuild costs ~180.
 */
const viteImporter: Importer = async (url) => (await (await import('vite')).runnerImport(fileURLToPath(url))).module;

/**
 * @param importer how to import the file; spec workers pass their own `import`, since vitest
 * already transforms TypeScript there.
 */
export async function loadConfig(file = configPath(), importer: Importer = viteImporter): Promise<MtlsConfig> {
  let mod: { default?: unknown };
  try {
    mod = (await importer(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new ConfigError(loadFailure(file, err));
  }
  return validateConfig(mod.default, file);
}

/**
 * One line for a config that cannot be loaded: the file with the line and column of a syntax
 * error (from Rollup's `loc`, 0-based column, or the transformer's "file:line:col"), and what is wrong.
 */
export function loadFailure(file: string, err: unknown): string {
  const e = err as { message?: string; loc?: { line: number; column: number }; errors?: Array<{ message?: string }> };
  // ANSI colour codes (ESC [ ... m) of the transformer's message.
  const plain = (t: string | undefined) =>
    String(t ?? '')
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/[╭─│╰┬┴]+/g, ' ');
  const text = [plain(e?.message ?? String(err)), ...(e?.errors ?? []).map((x) => plain(x.message))].join('\n');
  const name = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = e?.loc
    ? `${e.loc.line}:${e.loc.column + 1}`
    : text
        .match(new RegExp(`${name}:(\\d+):(\\d+)`))
        ?.slice(1)
        .join(':');
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const what =
    lines
      .find(
        (l) =>
          /Expected|Unexpected|SyntaxError|Unterminated|Missing|Invalid/.test(l) &&
          !/^Parse failure|^Transform failed/.test(l),
      )
      ?.replace(/^\[PARSE_ERROR\]\s*/, '') ?? lines.slice(0, 3).join(' ');
  return at ? `config ${file}:${at}: syntax error: ${what}` : `config ${file}: cannot be loaded: ${what}`;
}

/** A role's `protocol`: one of the protocol modules (harness/protocols), else the closest name. */
function checkProtocol(value: unknown, where: string, fail: (msg: string) => never): void {
  if (value === undefined) return;
  const names = PROTOCOL_NAMES.map((n) => `'${n}'`).join(', ');
  const name = isObject(value) ? value.name : value;
  if (typeof name !== 'string')
    fail(`${where}: 'protocol' is one of ${names}, or { name, ...options }, got ${JSON.stringify(value)}`);
  if (!PROTOCOL_NAMES.includes(name as ProtocolName))
    fail(`${where}: unknown protocol '${name}'; did you mean '${closest(name, PROTOCOL_NAMES)}'? (${names})`);
  if (!isObject(value)) return;
  const checks = PROTOCOL_OPTIONS[name as ProtocolName];
  const allowed = Object.keys(checks);
  for (const key of Object.keys(value).filter((k) => k !== 'name' && !allowed.includes(k)))
    fail(
      `${where}: protocol '${name}' takes ${allowed.length ? allowed.map((k) => `'${k}'`).join(', ') : 'no options'}` +
        `${allowed.length ? `; unknown '${key}' (did you mean '${closest(key, allowed)}'?)` : `, got '${key}'`}`,
    );
  for (const [key, check] of Object.entries(checks)) {
    const problem = value[key] !== undefined ? check(value[key]) : undefined;
    if (problem) fail(`${where}: protocol '${name}' ${key} must be ${problem}, got ${JSON.stringify(value[key])}`);
  }
}

const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function validateServerIdentity(
  o: Record<string, unknown>,
  role: 'server' | 'client',
  where: string,
  fail: (msg: string) => never,
): void {
  for (const key of ['name', 'names', 'admits', 'clientAuth'])
    if (o[key] !== undefined && role !== 'server') fail(`${where}: '${key}' belongs on a server role`);
  if (role !== 'server') return;
  if (o.name !== undefined && (typeof o.name !== 'string' || !DNS_NAME.test(o.name)))
    fail(`${where}: 'name' must be a DNS name, got ${JSON.stringify(o.name)}`);
  if (o.names !== undefined) {
    if (o.name !== undefined) fail(`${where}: give 'name' or 'names', not both`);
    if (!isObject(o.names) || Object.keys(o.names).length === 0)
      fail(
        `${where}: 'names' maps DNS names to what each must do ({ 'api.internal': {}, 'www.internal': { clientAuth: ` +
          `'none' } })`,
      );
    for (const [n, opts] of Object.entries(o.names as object)) {
      if (!DNS_NAME.test(n)) fail(`${where}: names: '${n}' is not a DNS name`);
      if (
        !isObject(opts) ||
        Object.keys(opts).some((k) => k !== 'clientAuth') ||
        ![undefined, ...CLIENT_AUTH].includes((opts as { clientAuth?: string }).clientAuth as ClientAuth)
      ) {
        fail(`${where}: names['${n}'] takes { clientAuth?: ${CLIENT_AUTH.map((c) => `'${c}'`).join(' | ')} }`);
      }
    }
  }
  if (o.clientAuth !== undefined && !CLIENT_AUTH.includes(o.clientAuth as ClientAuth))
    fail(
      `${where}: 'clientAuth' is one of ${CLIENT_AUTH.map((c) => `'${c}'`).join(', ')}, got ` +
        `${JSON.stringify(o.clientAuth)}`,
    );
  if (o.admits !== undefined) {
    if (
      !Array.isArray(o.admits) ||
      o.admits.length === 0 ||
      !o.admits.every((a) => typeof a === 'string' && /^(DNS|URI|IP):.+$/.test(a))
    ) {
      fail(
        `${where}: 'admits' lists identities as 'DNS:<name>', 'URI:<uri>' or 'IP:<address>', got ` +
          `${JSON.stringify(o.admits)}`,
      );
    }
  }
}

/** The candidate nearest to `word` by edit distance: the "did you mean" of a misspelt id. */
export function closest(word: string, candidates: string[]): string {
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  return candidates.reduce((best, c) => (distance(word, c) < distance(word, best) ? c : best));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateConfig(value: unknown, file: string): MtlsConfig {
  const fail = (msg: string): never => {
    throw new ConfigError(`config ${file}: ${msg}`);
  };
  if (!isObject(value)) fail('has no default export object (export default { targets: { ... } })');
  const targets = (value as Record<string, unknown>).targets;
  if (!isObject(targets)) fail("the default export has no 'targets' object (export default { targets: { ... } })");
  const names = Object.keys(targets as object);
  if (names.length === 0) fail("'targets' is empty: name at least one target");
  for (const name of names) {
    if (!TARGET_NAME.test(name)) fail(`target name '${name}' may hold only letters, digits, '.', '_' and '-'`);
    validateTarget(name, (targets as Record<string, unknown>)[name], fail);
  }
  return value as MtlsConfig;
}

function validateTarget(name: string, target: unknown, fail: (msg: string) => never): asserts target is TargetConfig {
  if (!isObject(target)) fail(`target '${name}' is not an object`);
  const t = target;
  for (const key of Object.keys(t)) {
    if (!(TARGET_KEYS as readonly string[]).includes(key))
      fail(
        `target '${name}': unknown key '${key}'; did you mean '${closest(key, [...TARGET_KEYS])}'? (a target takes ` +
          `${TARGET_KEYS.join(', ')})`,
      );
  }
  if (t.server === undefined && t.client === undefined) fail(`target '${name}' has neither a server nor a client role`);
  if (t.watch !== undefined && (!Array.isArray(t.watch) || !t.watch.every((f) => typeof f === 'string' && f)))
    fail(`target '${name}': 'watch' lists file paths`);
  if (t.version !== undefined && (!Array.isArray(t.version) || !t.version.every((a) => typeof a === 'string' && a)))
    fail(`target '${name}': 'version' is a command, an argv list of non-empty strings`);
  if (
    t.waive !== undefined &&
    (!isObject(t.waive) || !Object.values(t.waive).every((v) => typeof v === 'string' && v.trim()))
  ) {
    fail(`target '${name}': 'waive' maps property ids to written reasons (non-empty strings)`);
  }
  for (const key of Object.keys(t.waive ?? {})) {
    const [id, scope, ...more] = key.split('@');
    if (!CATALOGUE.some((p) => p.id === id))
      fail(
        `target '${name}': waive names '${id}', which is not a property; did you mean '${closest(
          id!,
          CATALOGUE.map((p) => p.id),
        )}'?`,
      );
    const scopes: string[] = [...TLS_VERSIONS, ...KEY_TYPES];
    if (more.length || (scope !== undefined && !scopes.includes(scope)))
      fail(`target '${name}': waive key '${key}': after '@' comes one of ${scopes.join(', ')}`);
  }
  for (const role of ['server', 'client'] as const) {
    const r = t[role];
    if (r === undefined) continue;
    if (!isObject(r)) fail(`target '${name}' ${role}: not an object`);
    const o = r;
    const where = `target '${name}' ${role}`;
    if (o.kind === 'node') {
      if (typeof o.options !== 'function') fail(`${where}: 'options' must be a function (material) => tls options`);
      if (o.onConnection !== undefined && (role !== 'server' || typeof o.onConnection !== 'function')) {
        fail(`${where}: 'onConnection' must be a function, and only on a server role`);
      }
      if (o.onSecureConnect !== undefined && (role !== 'client' || typeof o.onSecureConnect !== 'function')) {
        fail(`${where}: 'onSecureConnect' must be a function, and only on a client role`);
      }
      checkProtocol(o.protocol, where, fail);
      validateServerIdentity(o, role, where, fail);
    } else if (o.kind === 'command') {
      validateServerIdentity(o, role, where, fail);
      if (!Array.isArray(o.command) || o.command.length === 0 || !o.command.every((a) => typeof a === 'string')) {
        fail(`${where}: 'command' must be a non-empty list of strings (argv)`);
      }
      if (o.port !== undefined && !(Number.isInteger(o.port) && (o.port as number) > 0 && (o.port as number) < 65536))
        fail(`${where}: 'port' must be a TCP port number, got ${JSON.stringify(o.port)}`);
      checkProtocol(o.protocol, where, fail);
      if (role === 'client' && o.session !== undefined && typeof o.session !== 'boolean')
        fail(`${where}: 'session' is true or false, got ${JSON.stringify(o.session)}`);
      const perRequest =
        role === 'client' && o.session === true ? o.command.join(' ').match(/\{(host|port|name)\}/) : null;
      if (perRequest)
        fail(
          `${where}: a session client reads host, port and name from each line of its standard input; its ` +
            `command cannot take {${perRequest[1]}}`,
        );
      if (o.readyWhen !== undefined && (typeof o.readyWhen !== 'string' || !o.readyWhen))
        fail(`${where}: 'readyWhen' is the text the program prints once it serves, got ${JSON.stringify(o.readyWhen)}`);
    } else if (o.kind === 'endpoint') {
      if (role !== 'server')
        fail(`${where}: kind 'endpoint' is a server that is already listening; a client role is 'node' or 'command'`);
      if (typeof o.host !== 'string' || !o.host) fail(`${where}: an endpoint needs 'host' (the address it listens on)`);
      if (!(Number.isInteger(o.port) && (o.port as number) > 0 && (o.port as number) < 65536))
        fail(`${where}: an endpoint needs 'port', a TCP port number, got ${JSON.stringify(o.port)}`);
      checkProtocol(o.protocol, where, fail);
      validateServerIdentity(o, role, where, fail);
    } else {
      fail(`${where}: kind ${JSON.stringify(o.kind)} is not supported (expected 'node', 'command' or 'endpoint')`);
    }
    // A misspelt key (`admit` for `admits`, `protocl`) would silently drop what it meant to say.
    const valid = ROLE_KEYS[o.kind][role] ?? [];
    for (const key of Object.keys(o)) {
      if (!valid.includes(key))
        fail(
          `${where}: unknown key '${key}' for a ${String(o.kind)} ${role}; did you mean ` +
            `'${closest(key, [...valid])}'? (it takes ${valid.join(', ')})`,
        );
    }
  }
}
