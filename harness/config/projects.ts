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

/** The values of --project on the command line (`--project a`, `--project=a`, repeated). */
export function projectFilters(argv: string[] = process.argv): string[] {
  const found: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1] !== undefined) found.push(argv[i + 1]!);
    else if (arg.startsWith('--project=')) found.push(arg.slice('--project='.length));
  });
  return found;
}

const wildcard = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/**
 * Checks each filter against the targets and project names; returns the filters as vitest must
 * see them (a target's name spelled `<target>/*` when its projects are per key type), or
 * undefined when they can stay as they are.
 */
export function expandProjectFilters(filters: string[], targets: string[], projects: string[], file: string): string[] | undefined {
  let changed = false;
  const spelled = filters.map((filter) => {
    const re = wildcard(filter);
    if (projects.some((p) => re.test(p))) return filter;
    if (!targets.some((t) => re.test(t))) throw new ConfigError(`--project ${filter}: no target of ${file} is named so; its targets: ${targets.join(', ')}`);
    changed = true;
    return `${filter}/*`;
  });
  return changed ? spelled : undefined;
}

/** Runs this vitest command again with the filters spelled out, and ends with its exit code. */
export async function rerunWithProjects(filters: string[]): Promise<never> {
  const argv = process.argv.slice(1);
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--project') { i++; continue; }
    if (argv[i]!.startsWith('--project=')) continue;
    rest.push(argv[i]!);
  }
  const child = spawn(process.execPath, [...process.execArgv, ...rest, ...filters.flatMap((f) => ['--project', f])], { stdio: 'inherit' });
  reaper.program(child.pid);
  const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 128 + 2 : 1))));
  process.exit(code);
}
