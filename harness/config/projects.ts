/**
 * `--project` names targets. vitest alone would end a run whose filter matches nothing with a
 * stack trace, and with several key types (MTLS_KEY=all) the projects are `<target>/<key type>`,
 * so `--project reference` would match none of them. Here a filter that names no target ends the
 * run with one line listing the targets, and a target's name also selects its key-type projects.
 * vitest takes --project from its command line only (a config cannot add to it), so that case
 * runs vitest again with the filter spelled out (`<target>/*`).
 */
import { spawn } from 'node:child_process';
import { ConfigError } from './load.js';
import { reaper } from '../reaper.js';
import { parseSan, type IdentityOptions } from '../../fixtures/profiles.js';
import type { KeyType } from '../pki/issue.js';
import type { TargetConfig } from './types.js';

/** The values of --project on the command line (`--project a`, `--project=a`, repeated). */
export function projectFilters(argv: string[] = process.argv): string[] {
  const found: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1] !== undefined) found.push(argv[i + 1]!);
    else if (arg.startsWith('--project=')) found.push(arg.slice('--project='.length));
  });
  return found;
}

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/**
 * Checks each filter against the targets and project names; returns the filters as vitest must
 * see them (a target's name spelled `<target>/*` when its projects are per key type), or
 * undefined when they can stay as they are.
 */
export function expandProjectFilters(
  filters: string[],
  targets: string[],
  projects: string[],
  file: string,
): string[] | undefined {
  let changed = false;
  const spelled = filters
    .map((filter) => {
      const re = wildcard(filter);
      if (projects.some((p) => re.test(p))) return filter;
      if (!targets.some((t) => re.test(t)))
        throw new ConfigError(
          `--project ${filter}: no target of ${file} is named so; its targets: ${targets.join(', ')}`,
        );
      changed = true;
      // Spelled the ways its projects are named: per key type, per server name.
      return [`${filter}/*`, `${filter}:*`].filter((f) => projects.some((p) => wildcard(f).test(p)));
    })
    .flat();
  return changed ? spelled : undefined;
}

/** Runs this vitest command again with the filters spelled out, and ends with its exit code. */
export async function rerunWithProjects(filters: string[]): Promise<never> {
  const argv = process.argv.slice(1);
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--project') {
      i++;
      continue;
    }
    if (argv[i]!.startsWith('--project=')) continue;
    rest.push(argv[i]!);
  }
  const child = spawn(process.execPath, [...process.execArgv, ...rest, ...filters.flatMap((f) => ['--project', f])], {
    stdio: 'inherit',
  });
  reaper.program(child.pid);
  const code = await new Promise<number>((resolve) =>
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 + 2 : 1))),
  );
  process.exit(code);
}

/** The server names a target is tested under, each its own project; [undefined] for a target without `names`. */
export function serverNamesOf(target: TargetConfig): Array<string | undefined> {
  const names = target.server?.names;
  return names ? Object.keys(names) : [undefined];
}

/** The vitest project of a target, server name and key type. */
export function projectName(
  target: string,
  serverName: string | undefined,
  key: KeyType,
  keys: readonly KeyType[],
): string {
  return `${target}${serverName ? `:${serverName}` : ''}${keys.length > 1 ? `/${key}` : ''}`;
}

/** What a target's PKI must name: the names its server is reached by, the identities it admits. */
export function identityOptionsOf(target: TargetConfig): IdentityOptions {
  const server = target.server;
  const serverNames = server?.name ? [server.name] : server?.names ? Object.keys(server.names) : undefined;
  const clientSan = server?.admits?.map((a) => parseSan(a)!);
  return { ...(serverNames ? { serverNames } : {}), ...(clientSan ? { clientSan } : {}) };
}

/** The path filters of a vitest command line: arguments that are neither options nor their values. */
export function positionalArgs(argv: string[]): string[] {
  const script = argv.findIndex((a) => /vitest(\.mjs)?$|vitest[\\/]vitest/.test(a));
  const withValue = new Set([
    '-t',
    '--testNamePattern',
    '--project',
    '--reporter',
    '--shard',
    '--tags-filter',
    '--config',
    '-c',
    '--root',
    '-r',
    '--outputFile',
    '--dir',
    '--maxWorkers',
  ]);
  const out: string[] = [];
  for (let i = script + 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (withValue.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') || a === 'run' || a === 'watch' || a === 'dev' || a === 'related') continue;
    out.push(a);
  }
  return out;
}

/**
 * How a project's checks are split into vitest files (MTLS_FILES). `area` (the default): one file
 * per area, which run in parallel. `target`: every area in one file per project (specs/every-area),
 * for runs of many targets: vitest reuses a worker only for the next file of the same project, so
 * each project's files would otherwise start (and load the harness in) several workers.
 */
export type SpecFiles = 'area' | 'target';

export function specFilesFromEnv(env: NodeJS.ProcessEnv = process.env): SpecFiles {
  const raw = env.MTLS_FILES?.trim() || 'area';
  if (raw !== 'area' && raw !== 'target')
    throw new Error(
      `MTLS_FILES must be area (one vitest file per area, the default) or target (one per target ` +
        `and key type), got ${JSON.stringify(raw)}`,
    );
  return raw;
}
