/** The command line of `mtls-conformance`: the run options it passes to vitest, and the config it runs. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CONFIG_NAMES = ['mtls.config.ts', 'mtls.config.mts', 'mtls.config.mjs', 'mtls.config.js'];

export class UsageError extends Error {
  /** Whether the usage line follows the message (a word it does not know). */
  constructor(
    message: string,
    readonly withUsage = false,
  ) {
    super(message);
  }
}

/** Flags vitest takes from the command, with whether each takes a value. */
const VALUE_FLAGS = ['--project', '--shard', '--reporter', '-t', '--tags-filter'];
const BOOLEAN_FLAGS = ['--watch', '-u', '--update'];

export interface RunArgs {
  config?: string;
  vitest: string[];
  watch: boolean;
}

export function parseRunArgs(argv: string[]): RunArgs {
  const out: RunArgs = { vitest: [], watch: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--mtls-config') out.config = value();
    else if (VALUE_FLAGS.includes(flag)) out.vitest.push(flag, value());
    else if (flag === '--merge-reports') {
      // Its folder is optional: the next word, unless it is another option.
      const next = inline ?? (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-') ? argv[++i] : undefined);
      out.vitest.push(next ? `--merge-reports=${next}` : '--merge-reports');
    } else if (BOOLEAN_FLAGS.includes(flag) && inline === undefined) {
      if (flag === '--watch') out.watch = true;
      else out.vitest.push('-u');
    } else throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}`, true);
  }
  return out;
}

/** The config of `dir`: the one mtls.config.* there; none or several is bad input. */
export function findConfig(dir: string): string {
  const found = CONFIG_NAMES.filter((n) => existsSync(path.join(dir, n)));
  if (found.length === 0) throw new UsageError(`no mtls.config.* in ${dir}; \`npx mtls-conformance init\` writes one`);
  if (found.length > 1)
    throw new UsageError(`several configs in ${dir}: ${found.join(', ')}; pick one with --mtls-config <file>`);
  return path.join(dir, found[0]!);
}
