/**
 * `npm run matrix`: runs the interop targets (both key types) and writes the published matrix:
 * docs/matrix/matrix.json (its data), docs/matrix.md and docs/matrix/index.html (self-contained).
 * `npm run matrix -- --from reports/interop/conformance.json` renders an interop run already made
 * (`npm test` makes one). tests/matrix.test.ts checks the pages against the catalogue, the interop
 * config and the interop run of `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../config/load.js';
import type { MtlsConfig } from '../config/types.js';
import { matrixOf, renderMatrixHtml, renderMatrixMarkdown, type Matrix, type StackInfo } from '../report/matrix.js';
import type { ConformanceReport } from '../report/types.js';

export const INTEROP_CONFIG = path.join(REPO_ROOT, 'interop/mtls.interop.ts');
export const MATRIX_FILES = {
  json: path.join(REPO_ROOT, 'docs/matrix/matrix.json'),
  markdown: path.join(REPO_ROOT, 'docs/matrix.md'),
  html: path.join(REPO_ROOT, 'docs/matrix/index.html'),
};

/** What a target's `version` command prints, its lines joined; undefined when it has none or it fails. */
function versionOf(command: string[] | undefined): string | undefined {
  if (!command) return undefined;
  try {
    const out = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', timeout: 15_000, stdio: 'pipe' });
    const lines = `${out.stdout ?? ''}\n${out.stderr ?? ''}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return out.status === 0 && lines.length ? lines.join('; ').slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/** The interop config's words about each stack; `versions` runs each target's `version` command. */
export function stacksOf(config: MtlsConfig, versions: boolean): StackInfo[] {
  return Object.entries(config.targets).map(([name, t]) => ({
    name,
    description: t.description,
    version: versions ? versionOf(t.version) : undefined,
    roles: (['server', 'client'] as const).filter((r) => t[r]),
    waive: { ...t.waive },
  }));
}

export const renderings = (m: Matrix) => ({
  json: `${JSON.stringify(m, null, 1)}\n`,
  markdown: renderMatrixMarkdown(m),
  html: renderMatrixHtml(m),
});

function fail(message: string): never {
  process.stderr.write(`npm run matrix: ${message}\n`);
  process.exit(2);
}

async function main(args: string[]): Promise<void> {
  let from: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--from' && args[i + 1]) from = args[++i];
    else fail(`unknown argument '${args[i]}'; usage: npm run matrix [-- --from <conformance.json>]`);
  }
  if (!from) {
    const reports = path.join(REPO_ROOT, 'reports/matrix');
    process.stdout.write('running the interop targets, both key types (npm run interop), into reports/matrix\n');
    try {
      // As `npm run interop`: one file per target and key type, 8 workers (its probes wait on
      // programs more than they compute).
      execFileSync(
        process.execPath,
        [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--maxWorkers=8'],
        {
          cwd: REPO_ROOT,
          stdio: 'inherit',
          env: {
            ...process.env,
            MTLS_CONFIG: INTEROP_CONFIG,
            MTLS_KEY: 'all',
            MTLS_FILES: 'target',
            MTLS_REPORTS_DIR: reports,
          },
        },
      );
    } catch (err) {
      // Exit 1 is a run with failing cells: still a matrix. Anything else is not a run.
      if ((err as { status?: number }).status !== 1) fail(`the interop run did not complete: ${String(err)}`);
    }
    from = path.join(reports, 'conformance.json');
  }
  if (!existsSync(from)) fail(`${from}: no such report`);
  const report = JSON.parse(readFileSync(from, 'utf8')) as ConformanceReport;
  const config = await loadConfig(INTEROP_CONFIG);
  const stacks = stacksOf(config, true);
  const missing = stacks.filter((s) => !report.results.some((r) => r.target.split(/[/:]/)[0] === s.name));
  if (missing.length)
    fail(`${from} has no cells of ${missing.map((s) => s.name).join(', ')}: render a run of the whole interop config`);
  const out = renderings(matrixOf(report, stacks));
  mkdirSync(path.dirname(MATRIX_FILES.json), { recursive: true });
  writeFileSync(MATRIX_FILES.json, out.json);
  writeFileSync(MATRIX_FILES.markdown, out.markdown);
  writeFileSync(MATRIX_FILES.html, out.html);
  process.stdout.write('docs/matrix.md, docs/matrix/index.html and docs/matrix/matrix.json written\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main(process.argv.slice(2));
}
