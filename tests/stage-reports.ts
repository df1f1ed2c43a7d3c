/**
 * The conformance runs `npm test` makes before the harness tests (the default target and the real
 * peers), so a harness test that asks about them reads their report instead of running them again.
 * `npm test` sets MTLS_STAGE_REPORTS=1 for the harness tests: the reports in reports/ are this
 * run's (it removes the old ones first, and runs every stage even when one fails, so a CI run shows
 * all its failures). Without it (the harness tests run alone) a test makes the run it needs, narrowed to the
 * targets it asks about.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../harness/config/load.js';
import type { ConformanceReport } from '../harness/report/types.js';
import { runSuite } from './run-suite.js';

const STAGES = {
  default: { dir: 'reports', env: { MTLS_KEY: 'all' } },
  interop: {
    dir: 'reports/interop',
    env: { MTLS_KEY: 'all', MTLS_CONFIG: path.join(REPO_ROOT, 'interop/mtls.interop.ts') },
  },
} as const;

export type Stage = keyof typeof STAGES;

/** Whether the stage reports are this `npm test`'s own. */
export const fromStages = (): boolean => process.env.MTLS_STAGE_REPORTS === '1';

/** The stage's report (its cells of `targets` only, when named), read or made. */
export async function stageReport(stage: Stage, targets?: string[]): Promise<ConformanceReport> {
  const { dir, env } = STAGES[stage];
  let report: ConformanceReport | undefined;
  if (fromStages()) {
    report = JSON.parse(readFileSync(path.join(REPO_ROOT, dir, 'conformance.json'), 'utf8')) as ConformanceReport;
  } else {
    const run = await runSuite(env, targets?.flatMap((t) => ['--project', t]) ?? [], 900_000);
    if (run.code !== 0 && run.code !== 1)
      throw new Error(`the ${stage} run ended with ${run.code}:\n${run.output.slice(-2000)}`);
    report = run.report;
  }
  if (!report) throw new Error(`the ${stage} run wrote no report`);
  if (!targets) return report;
  const named = new Set(targets);
  // A project is the target, with its key type when the run has several ("document/rsa-2048").
  return { ...report, results: report.results.filter((r) => named.has(r.target.split('/')[0]!)) };
}
