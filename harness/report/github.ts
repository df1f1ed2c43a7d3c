/**
 * GitHub Actions (GITHUB_ACTIONS=true): an annotation per failed check and per strict finding
 * (property, target, version, reason), and the summary appended to $GITHUB_STEP_SUMMARY.
 * With a snapshot, only regressions are errors; known failures are notices.
 */
import { countsLine, FAILING, VERDICTS } from '../verdicts.js';
import type { ConformanceReport, ResultRow } from './types.js';
import { cellKey } from './snapshot.js';
import { renderSummary } from './summary.js';

const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const annotate = (level: 'error' | 'warning' | 'notice', title: string, message: string) =>
  `::${level} title=${prop(title)}::${data(message)}\n`;
const titleOf = (r: ResultRow) => `${r.id} [${r.target} ${r.version}]`;

export function githubAnnotations(report: ConformanceReport): string {
  const out: string[] = [];
  // By cell key: a target's name may itself hold ':' (a server name) or '/' (a key type).
  const regressed = new Set(report.snapshot?.regressedCells ?? []);
  const ran = new Set(report.results.map(cellKey));
  for (const r of report.results) {
    if (FAILING.includes(r.verdict)) {
      const isRegression = !report.snapshot || regressed.has(cellKey(r));
      out.push(
        annotate(
          isRegression ? 'error' : 'notice',
          titleOf(r),
          `${r.verdict}${report.snapshot && !isRegression ? ' (known: in the snapshot)' : ''}: ${r.statement} ` +
            `${r.reason ?? ''}`,
        ),
      );
    } else if (r.verdict === 'warning') {
      // A pass that became a warning fails the gate like any regression: an error, not a warning.
      out.push(
        regressed.has(cellKey(r))
          ? annotate('error', titleOf(r), `regression, pass -> warning: ${r.statement} ${r.reason ?? ''}`)
          : annotate('warning', titleOf(r), `strict finding: ${r.statement} ${r.reason ?? ''}`),
      );
    }
  }
  // Regressions of cells this run did not run at all (lost coverage) have no row to hang on.
  const s = report.snapshot;
  s?.regressedCells.forEach((key, i) => {
    if (!ran.has(key)) out.push(annotate('error', 'mtls-conformance snapshot', `regression: ${s.regressions[i]}`));
  });
  return out.join('');
}

/** The job summary: the gate's verdict and what to fix first (summary.ts), then the counts per target and the cells. */
export function githubSummary(report: ConformanceReport, exitCode?: number): string {
  const lines = [
    renderSummary(report, exitCode).trimEnd(),
    '',
    '### Per target',
    '',
    `${countsLine(report.summary)}${report.seeds.length ? ` (PKI seed ${report.seeds.join(', ')})` : ''}`,
    '',
  ];
  const shown = VERDICTS.filter((v) => report.summary[v] > 0);
  lines.push(`| target | version | ${shown.join(' | ')} |`, `|---|---|${shown.map(() => '---:').join('|')}|`);
  for (const target of report.targets) {
    for (const version of ['TLSv1.2', 'TLSv1.3']) {
      const rows = report.results.filter((r) => r.target === target && r.version === version);
      if (rows.length)
        lines.push(
          `| ${target} | ${version} | ${shown.map((v) => rows.filter((r) => r.verdict === v).length).join(' | ')} |`,
        );
    }
  }
  if (report.rootCauses.length)
    lines.push('', '### Root causes', '', ...report.rootCauses.map((c) => `- ${c.split('\n')[0]}`));
  const failing = report.results.filter((r) => FAILING.includes(r.verdict) && r.verdict !== 'not run');
  if (failing.length)
    lines.push(
      '',
      '### Failed checks',
      '',
      ...failing
        .slice(0, 100)
        .map((r) => `- **${r.verdict}** \`${r.id}\` ${r.target} ${r.version}: ${(r.reason ?? '').split('\n')[0]}`),
    );
  const warnings = report.results.filter((r) => r.verdict === 'warning');
  if (warnings.length)
    lines.push(
      '',
      '### Strict findings',
      '',
      ...warnings
        .slice(0, 100)
        .map((r) => `- \`${r.id}\` ${r.target} ${r.version}: ${(r.reason ?? '').split('\n')[0]}`),
    );
  const s = report.snapshot;
  if (s) {
    lines.push(
      '',
      `### Snapshot (${s.file})`,
      '',
      `${s.regressions.length} regressions, ${s.failingAdded.length} new failing cells, ${s.improvements.length} ` +
        `improvements, ${s.changed.length} changed, ${s.known.length} known failures`,
    );
    for (const [title, list] of [
      ['Regressions', s.regressions],
      ['Improvements', s.improvements],
      ['Changed', s.changed],
    ] as const) {
      if (list.length) lines.push('', `**${title}**`, '', ...list.slice(0, 100).map((l) => `- ${l}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
