#!/usr/bin/env node
/**
 * `mtls-conformance`, the package's command: runs the suite on the mtls.config.* of the current
 * folder (vitest with the package's own config, in a child process), writes a starter config,
 * runs the built-in demo target, or issues the document's certificate files. Bad input is one
 * line and exit 2, before vitest starts; a run's exit code is vitest's (0, 1, 2).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT, SOURCE_EXT } from '../config/load.js';
import { certs } from './certs.js';
import { starterConfig, type StarterPart } from './starter.js';
import { CONFIG_NAMES, findConfig, parseRunArgs, UsageError, type RunArgs } from './args.js';

const USAGE = `usage: mtls-conformance [--mtls-config <file>] [run options]   run the suite on ./mtls.config.*
       mtls-conformance init [--server | --client | --endpoint]       write a starter mtls.config.ts
       mtls-conformance demo [run options]                              the built-in reference target
       mtls-conformance certs [--force] [--san <names>] <dir>           the document's certificate files
       mtls-conformance <command> --help`;

const RUN_HELP = `${USAGE}

Runs every check against the targets of mtls.config.{ts,mts,mjs,js} in this folder; reports in
./reports (MTLS_REPORTS_DIR), the snapshot beside the config (mtls.snapshot.json, MTLS_SNAPSHOT).
Exit 0: every check passed (or failed as the snapshot records); 1: a check failed, or none ran;
2: bad input (config, options, a busy fixed port).

run options (passed to vitest):
  --mtls-config <file>   the config file, when not ./mtls.config.*
  --project <target>     only this target (repeatable; a target's name selects all its key types)
  -t <pattern>           only the checks whose name matches (a property id, e.g. cauth.reject-none)
  --tags-filter <expr>   checks by level, area and role, e.g. "strict", "client-authentication and server"
  --shard <i>/<n>        one part of the run (with --reporter=blob, then --merge-reports)
  --reporter <name>      vitest's reporter (dot, github-actions, blob, ...); the conformance reports are still written
  --merge-reports [dir]  merge the blob reports of shards
  --watch                rerun when the config or a target's watch files change
  -u, --update           write the snapshot from this run
  --help                 this text

environment: MTLS_KEY=rsa-2048|ecdsa-p256|all, MTLS_SEED=<n>, MTLS_PROFILE=baseline|strict,
MTLS_REPORTS_DIR, MTLS_SNAPSHOT, MTLS_VERBOSE=1, MTLS_FILES=area|target (target: one vitest file per target
and key type, for runs of many targets)`;

const INIT_HELP = `usage: mtls-conformance init [--server | --client | --endpoint]
Writes a commented starter mtls.config.ts to this folder: a server program, a client program and an
endpoint as examples, or just the one asked for. Never overwrites a file.`;

/** Runs vitest with the package's config; resolves with its exit code. */
async function runVitest(args: RunArgs, env: Record<string, string>): Promise<number> {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
  const argv = [
    bin,
    args.watch ? 'watch' : 'run',
    '--config',
    path.join(REPO_ROOT, `vitest.config${SOURCE_EXT}`),
    ...args.vitest,
  ];
  const child = spawn(process.execPath, argv, { stdio: 'inherit', env: { ...process.env, ...env } });
  // A signal to this command (CI cancelling the job) reaches the run, which cleans up after itself.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, forward(s));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1))),
  );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const cwd = process.cwd();
  const reports = process.env.MTLS_REPORTS_DIR ?? path.join(cwd, 'reports');
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  if (command === 'init') {
    if (rest.includes('--help')) {
      process.stdout.write(`${INIT_HELP}\n`);
      return 0;
    }
    const parts = rest.map((a): StarterPart => {
      if (a === '--server' || a === '--client' || a === '--endpoint') return a.slice(2) as StarterPart;
      throw new UsageError(`init: unknown option ${a}`, true);
    });
    if (parts.length > 1) throw new UsageError('init: one of --server, --client, --endpoint');
    const existing = CONFIG_NAMES.filter((n) => existsSync(path.join(cwd, n)));
    if (existing.length) throw new UsageError(`init: ${path.join(cwd, existing[0]!)} exists; not overwritten`);
    const file = path.join(cwd, 'mtls.config.ts');
    writeFileSync(file, starterConfig(parts[0]), { flag: 'wx' });
    process.stdout.write(
      `wrote ${file}: fill in your programs, then \`npx mtls-conformance\` ` +
        '(`npx mtls-conformance demo` shows a run)\n',
    );
    return 0;
  }
  if (command === 'certs') return certs(rest, 'mtls-conformance certs');
  if (command === 'demo') {
    if (rest.includes('--help')) {
      process.stdout.write(
        'usage: mtls-conformance demo [run options]\nRuns the suite on its built-in reference target ' +
          "(the document's server and client, as Node tls): what a run looks like, not a test of your service.\n",
      );
      return 0;
    }
    const args = parseRunArgs(rest);
    if (args.config) throw new UsageError('demo: --mtls-config is for your own config; run without demo');
    const demo = readdirSync(REPO_ROOT).find((f) => CONFIG_NAMES.includes(f))!;
    process.stdout.write('mtls-conformance demo: the built-in reference target, not your service\n');
    const code = await runVitest(args, {
      MTLS_CONFIG: path.join(REPO_ROOT, demo),
      MTLS_REPORTS_DIR: reports,
      MTLS_SNAPSHOT: process.env.MTLS_SNAPSHOT ?? path.join(reports, 'demo.snapshot.json'),
    });
    process.stdout.write(
      `mtls-conformance demo: that was the built-in reference target (exit ${code}); ` +
        '`npx mtls-conformance init` writes a config for your own\n',
    );
    return code;
  }
  if (command !== undefined && !command.startsWith('-')) throw new UsageError(`unknown command ${command}`, true);
  if (argv.includes('--help')) {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  const args = parseRunArgs(argv);
  let config: string;
  if (args.config) {
    config = path.resolve(args.config);
    if (!existsSync(config)) throw new UsageError(`--mtls-config ${args.config}: no such file (${config})`);
  } else config = findConfig(cwd);
  return runVitest(args, { MTLS_CONFIG: config, MTLS_REPORTS_DIR: reports });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    if (err instanceof UsageError) {
      process.stderr.write(`mtls-conformance: ${err.message}\n${err.withUsage ? `${USAGE}\n` : ''}`);
      process.exit(2);
    }
    process.stderr.write(`mtls-conformance: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
