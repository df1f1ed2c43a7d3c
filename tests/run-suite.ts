/**
 * Runs the conformance suite in a child `vitest run`, as a user would, against a given config,
 * with its reports in a temp folder. The self-tests and the bad-input tests use it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../harness/config/load.js';
import type { ConformanceReport, ResultRow } from '../harness/report/types.js';
import { FAILING } from '../harness/verdicts.js';

export interface SuiteRun {
  code: number | null;
  /** The run had to be killed: it did not end by itself within the time given. */
  timedOut: boolean;
  output: string;
  elapsedMs: number;
  report?: ConformanceReport;
  /** reports/junit.xml, conformance.html, conformance-summary.md and conformance.md as the run wrote them. */
  junit?: string;
  html?: string;
  summary?: string;
  markdown?: string;
  /** What the run left in its own temp folder (its TMPDIR) once it ended: key folders, registries. */
  leftBehind: string[];
}

/** An assertion library's words: a reason must be a sentence about the target instead. */
export const ASSERTION_TEXT = /\bexpected\b|Object\.is|toBe|toEqual|AssertionError/;

/** Every reason a report gives (cells, probes, notes, root causes) that reads like an assertion library. */
export function assertionTextIn(report: ConformanceReport): string[] {
  const texts = [
    ...report.rootCauses,
    ...report.results.flatMap((r) => [r.reason, ...(r.notes ?? []), ...r.probes.flatMap((p) => [p.reason, p.label])]),
  ];
  return [...new Set(texts.filter((t): t is string => !!t && ASSERTION_TEXT.test(t)))];
}

export async function runSuite(
  env: Record<string, string>,
  args: string[] = [],
  timeoutMs = 120_000,
): Promise<SuiteRun> {
  const reports = mkdtempSync(path.join(tmpdir(), 'mtls-selftest-'));
  // Its own temp folder: what it leaves behind is its own, whatever else runs on the machine.
  const tmp = mkdtempSync(path.join(tmpdir(), 'mtls-selftest-tmp-'));
  // Traversable, as /tmp is: the database servers run as their own users and reach their data
  // folders through it (a key folder inside stays 0700, its key 0600).
  chmodSync(tmp, 0o711);
  const started = performance.now();
  try {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...args], {
      cwd: REPO_ROOT,
      // A fresh run, as a user would start it: nothing of this worker's vitest leaks into it.
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('MTLS_')),
        ),
        NO_COLOR: '1',
        TMPDIR: tmp,
        MTLS_REPORTS_DIR: reports,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const file = path.join(reports, 'conformance.json');
    const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport) : undefined;
    // Every self-test run is scanned: a reason that quotes an assertion library fails its test.
    const worded = report ? assertionTextIn(report) : [];
    if (worded.length)
      throw new Error(`reasons in an assertion library's words, not the target's:\n${worded.slice(0, 10).join('\n')}`);
    const junitFile = path.join(reports, 'junit.xml');
    const junit = existsSync(junitFile) ? readFileSync(junitFile, 'utf8') : undefined;
    const htmlFile = path.join(reports, 'conformance.html');
    const html = existsSync(htmlFile) ? readFileSync(htmlFile, 'utf8') : undefined;
    const read = (name: string) =>
      existsSync(path.join(reports, name)) ? readFileSync(path.join(reports, name), 'utf8') : undefined;
    return {
      summary: read('conformance-summary.md'),
      markdown: read('conformance.md'),
      code,
      timedOut,
      output,
      elapsedMs: performance.now() - started,
      report,
      junit,
      html,
      leftBehind: readdirSync(tmp),
    };
  } finally {
    rmSync(reports, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A target's rows of a run's report. */
export const rowsOf = (run: SuiteRun, target: string): ResultRow[] =>
  run.report!.results.filter((r) => r.target === target);

/** A target's failing cells, each in a line with its reason: what a test compares to the cells it expects to fail. */
export const failingOf = (run: SuiteRun, target: string): string[] =>
  rowsOf(run, target)
    .filter((r) => FAILING.includes(r.verdict))
    .map((r) => `${r.id} ${r.version} ${r.verdict}: ${r.reason}`);
