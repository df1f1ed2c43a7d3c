/**
 * The last screen of a run: root causes, then what to fix (each failure once, grouped by target
 * and cause, with its remedy), the strict findings one line per property, and the verdict with
 * one set of counts. vitest's own test count, when given, is labelled as such.
 */
import { countsLine } from '../verdicts.js';
import { cellsText, findingsOf, gateReason, remedyFor, strictLinesOf, subject } from './findings.js';
import { cellKey } from './snapshot.js';
import type { ConformanceReport } from './types.js';

export interface VitestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

const MAX_PROPERTIES = 5;
const MAX_REASON = 220;
const clip = (text: string, max = MAX_REASON) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** "was pass" for a regressed cell, read from the comparison's line. */
function before(report: ConformanceReport, key: string): string | undefined {
  const line = report.snapshot?.regressions.find((l) => l.startsWith(`${key.replaceAll('|', ' ')}: `));
  return line?.match(/: (\S+(?: \S+)?) -> /)?.[1];
}

export function renderConsole(
  report: ConformanceReport,
  file: string,
  opts: { vitest?: VitestCounts; verbose?: boolean; exitCode?: number } = {},
): string {
  const lines: string[] = [''];
  if (report.rootCauses.length)
    lines.push(
      'mtls-conformance: root causes (the good exchange failed; those checks are not run):',
      ...report.rootCauses.map((c) => `  - ${c.replace(/\n/g, '\n    ')}`),
      '',
    );
  const findings = findingsOf(report);
  const known = !!report.snapshot;
  if (findings.length) {
    lines.push(`mtls-conformance: what to fix, first things first (${findings.length}):`);
    findings.forEach((f, i) => {
      const tag = f.regressed ? ' [REGRESSION]' : known && !f.unshown ? ' [known: in the snapshot]' : '';
      lines.push(`  ${i + 1}. ${subject(f)}: ${f.cause}${tag}`);
      for (const p of f.properties.slice(0, MAX_PROPERTIES)) {
        const was = [...new Set(p.cells.map((c) => before(report, cellKey(c))).filter(Boolean))];
        const verdict = p.cells[0]!.verdict === 'fail' ? '' : `${p.cells[0]!.verdict}: `;
        lines.push(
          `       ${p.id} (${cellsText(p.cells)}${was.length ? `; was ${was.join(', ')}` : ''}): ${verdict}` +
            clip(p.reason),
        );
      }
      if (f.properties.length > MAX_PROPERTIES)
        lines.push(
          `       and ${f.properties.length - MAX_PROPERTIES} more ` +
            `${f.properties.length - MAX_PROPERTIES === 1 ? 'property' : 'properties'} (conformance-summary.md)`,
        );
      const [fix, ...stacks] = remedyFor(f, report);
      lines.push(`     fix: ${fix}`, ...stacks.map((s) => `       ${s}`));
    });
    lines.push('');
  }
  const strict = strictLinesOf(report);
  if (strict.length) {
    lines.push(
      `mtls-conformance: strict findings, ${strict.length} properties (warnings; MTLS_PROFILE=strict makes them fail):`,
    );
    for (const s of strict) {
      lines.push(
        `  WARN ${s.id}: ${s.cells.length} ${s.cells.length === 1 ? 'cell' : 'cells'} (${s.targets.join(', ')}): ` +
          clip(s.reason, 160),
      );
      if (opts.verbose) for (const c of s.cells) lines.push(`       ${c.target} ${c.version}: ${c.reason ?? ''}`);
    }
    if (!opts.verbose) lines.push('  (every cell: MTLS_VERBOSE=1, or the reports)');
    lines.push('');
  }
  const s = report.snapshot;
  if (s) {
    if (s.failingAdded.length)
      lines.push(
        'mtls-conformance: new failing cells at baseline level (these fail the gate):',
        ...s.failingAdded.slice(0, 10).map((l) => `  ${l}`),
        '',
      );
    if (s.improvements.length)
      lines.push(
        'mtls-conformance: improvements against the snapshot:',
        ...s.improvements.slice(0, 5).map((l) => `  ${l}`),
        ...(s.improvements.length > 5 ? [`  (+${s.improvements.length - 5} more in conformance.md)`] : []),
        '',
      );
    lines.push(
      `mtls-conformance: snapshot ${s.file}: ${s.regressions.length} regressions, ${s.failingAdded.length} new ` +
        `failing, ${s.added.length} new, ${s.improvements.length} improvements, ${s.changed.length} changed, ` +
        `${s.known.length} known failures (shown, not failing the gate)` +
        (s.missing.length ? `, ${s.missing.length} not run${s.filtered ? ' (a narrowed run)' : ''}` : ''),
    );
  }
  if (opts.exitCode !== undefined) {
    lines.push(
      `mtls-conformance: ${opts.exitCode === 0 ? 'the gate passes' : `the gate FAILS (exit 1): ${gateReason(report)}`}`,
    );
  }
  const v = opts.vitest;
  const vitestCount = v
    ? `; vitest's own count: ${v.passed} tests passed, ${v.failed} failed, ${v.skipped} skipped`
    : '';
  lines.push(`mtls-conformance: ${countsLine(report.summary)}${vitestCount}; ${file}`, '');
  return lines.join('\n');
}
