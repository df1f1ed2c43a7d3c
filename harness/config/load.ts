/**
 * Finds, loads and validates the config file: `MTLS_CONFIG` (a .ts, .mts, .mjs or .js path,
 * relative to the working directory) or the repository's mtls.config.ts. Every problem becomes
 * a ConfigError whose message names the file, the target and the field.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MtlsConfig, TargetConfig } from './types.js';

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
    process.exit(2);
  }
  throw err;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXTENSIONS = ['.ts', '.mts', '.mjs', '.js'];
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function configPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const given = env.MTLS_CONFIG;
  if (given === undefined || given === '') return path.join(REPO_ROOT, 'mtls.config.ts');
  const resolved = path.resolve(cwd, given);
  if (!existsSync(resolved)) throw new ConfigError(`MTLS_CONFIG=${given}: no such file (${resolved})`);
  if (!statSync(resolved).isFile()) throw new ConfigError(`MTLS_CONFIG=${given}: not a file (${resolved})`);
  if (!EXTENSIONS.includes(path.extname(resolved))) {
    throw new ConfigError(`MTLS_CONFIG=${given}: expected a ${EXTENSIONS.join(', ')} file, got '${path.extname(resolved) || 'no extension'}'`);
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
    const plain = String((err as Error)?.message ?? err).replace(/\x1b\[[0-9;]*m/g, '').replace(/[╭─│╰┬┴]+/g, ' ');
    const lines = plain.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
    throw new ConfigError(`config ${file}: cannot be loaded: ${lines.slice(0, 3).join(' ')}`);
  }
  return validateConfig(mod.default, file);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateConfig(value: unknown, file: string): MtlsConfig {
  const fail = (msg: string): never => { throw new ConfigError(`config ${file}: ${msg}`); };
  if (!isObject(value)) fail('has no default export object (export default { targets: { ... } })');
  const targets = (value as Record<string, unknown>).targets;
  if (!isObject(targets)) fail("the default export has no 'targets' object (export default { targets: { ... } })");
  const names = Object.keys(targets as object);
  if (names.length === 0) fail("'targets' is empty: name at least one target");
  for (const name of names) {
    if (!TARGET_NAME.test(name)) fail(`target name '${name}' may hold only letters, digits, '.', '_' and '-'`);
    validateTarget(name, (targets as Record<string, unknown>)[name], fail);
  }
  return value as unknown as MtlsConfig;
}

function validateTarget(name: string, target: unknown, fail: (msg: string) => never): asserts target is TargetConfig {
  if (!isObject(target)) fail(`target '${name}' is not an object`);
  const t = target as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if (!['server', 'client', 'description', 'waive'].includes(key)) fail(`target '${name}': unknown field '${key}' (expected server, client, description, waive)`);
  }
  if (t.server === undefined && t.client === undefined) fail(`target '${name}' has neither a server nor a client role`);
  if (t.waive !== undefined && (!isObject(t.waive) || !Object.values(t.waive).every((v) => typeof v === 'string' && v.trim()))) {
    fail(`target '${name}': 'waive' maps property ids to written reasons (non-empty strings)`);
  }
  for (const role of ['server', 'client'] as const) {
    const r = t[role];
    if (r === undefined) continue;
    if (!isObject(r)) fail(`target '${name}' ${role}: not an object`);
    const o = r as Record<string, unknown>;
    const where = `target '${name}' ${role}`;
    if (o.kind === 'node') {
      if (typeof o.options !== 'function') fail(`${where}: 'options' must be a function (material) => tls options`);
      if (o.onConnection !== undefined && (role !== 'server' || typeof o.onConnection !== 'function')) {
        fail(`${where}: 'onConnection' must be a function, and only on a server role`);
      }
      if (o.onSecureConnect !== undefined && (role !== 'client' || typeof o.onSecureConnect !== 'function')) {
        fail(`${where}: 'onSecureConnect' must be a function, and only on a client role`);
      }
    } else if (o.kind === 'command') {
      if (!Array.isArray(o.command) || o.command.length === 0 || !o.command.every((a) => typeof a === 'string')) {
        fail(`${where}: 'command' must be a non-empty list of strings (argv)`);
      }
      if (o.port !== undefined && !(Number.isInteger(o.port) && (o.port as number) > 0 && (o.port as number) < 65536)) fail(`${where}: 'port' must be a TCP port number, got ${JSON.stringify(o.port)}`);
      if (o.protocol !== undefined && (role !== 'server' || !['raw', 'http'].includes(o.protocol as string))) fail(`${where}: 'protocol' is 'raw' or 'http', on a server role`);
    } else {
      fail(`${where}: kind ${JSON.stringify(o.kind)} is not supported (expected 'node' or 'command')`);
    }
  }
}
