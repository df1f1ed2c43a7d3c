/**
 * reports/conformance-summary.md: the run in at most about 60 lines, to paste into a pull-request
 * comment: the gate's verdict, counts by area, what to fix first, each server's
 * client-authentication mode, and the regressions against the snapshot. conformance.md opens with it.
 */
import { TLS_VERSIONS } from '../tls.js';
import { countsLine, VERDICTS, type CellVerdict } from '../verdicts.js';
import { cellsText, findingsOf, gateReason, remedyFor, strictLinesOf, subject } from './findings.js';
import type { ConformanceReport } from './types.js';

const MAX_FINDINGS = 6;
const MAX_REGRESSIONS = 8;
const md = (text: string) => text.replaceAll('|', '\\|');

/** The gate's verdict in words, from the exit code the run ends with. */
export function gateLine(report: ConformanceReport, exitCode: number | undefined): string {
  if (exitCode === undefined) return 'snapshot written (the run records itself; no gate)';
  const s = report.snapshot;
  if (exitCode === 0)
    return s
      ? `**PASS**: no regression against the snapshot (${s.known.length} known failures shown below)`
      : '**PASS**: every check holds';
  return `**FAIL**: ${gateReason(report)}`;
}

export function renderSummary(report: ConformanceReport, exitCode: number | undefined): string {
  const lines = ['## mtls-conformance', '', gateLine(report, exitCode), '', `${countsLine(report.summary)}.`, ''];
  // Counts by area: the verdicts that occur, one column each.
  const areas = [...new Set(report.catalogue.map((p) => p.area))];
  const shown = VERDICTS.filter((v) => report.results.some((r) => r.verdict === v));
  if (shown.length) {
    lines.push(`| area | ${shown.join(' | ')} |`, `|---|${shown.map(() => '---:').join('|')}|`);
    for (const area of areas) {
      const rows = report.results.filter((r) => r.area === area);
      if (!rows.length) continue;
      const n = (v: CellVerdict) => rows.filter((r) => r.verdict === v).length || '';
      lines.push(`| ${area} | ${shown.map(n).join(' | ')} |`);
    }
    lines.push('');
  }
  const findings = findingsOf(report);
  if (findings.length) {
    lines.push('### Fix first', '');
    findings.slice(0, MAX_FINDINGS).forEach((f, i) => {
      const [fix, ...stacks] = remedyFor(f, report);
      const tag = f.regressed ? ' (regression)' : report.snapshot && !f.unshown ? ' (known)' : '';
      const ids = f.properties.map((p) => `\`${p.id}\``);
      lines.push(
        `${i + 1}. **${md(subject(f))}**: ${md(f.cause)}${tag}. ${f.cellCount} cells: ` +
          `${ids.slice(0, 4).join(', ')}${ids.length > 4 ? ` and ${ids.length - 4} more` : ''} ` +
          `(${cellsText(f.properties[0]!.cells)}: ${md(f.properties[0]!.reason.slice(0, 160))})`,
        `   Fix: ${md(fix!)}${
          stacks.length
            ? ` ${stacks
                .slice(0, 3)
                .map((s) => `\`${s}\``)
                .join('; ')}`
            : ''
        }`,
      );
    });
    if (findings.length > MAX_FINDINGS) lines.push(`${MAX_FINDINGS + 1}. and ${findings.length - MAX_FINDINGS} more`);
    lines.push('');
  }
  const modes = report.clientAuthModes ?? [];
  if (modes.length) {
    const targets = [...new Set(modes.map((m) => m.target))];
    lines.push('### Client-authentication mode', '', `| server | ${TLS_VERSIONS.join(' | ')} |`, '|---|---|---|');
    for (const t of targets.slice(0, 12)) {
      const cell = (v: string) => {
        const m = modes.find((x) => x.target === t && x.version === v);
        return m ? (m.mode === 'required' ? 'required' : `**${m.mode}**`) : '';
      };
      lines.push(`| ${md(t)} | ${TLS_VERSIONS.map(cell).join(' | ')} |`);
    }
    if (targets.length > 12) lines.push(`| and ${targets.length - 12} more | | |`);
    lines.push('');
  }
  const s = report.snapshot;
  if (s) {
    lines.push('### Against the snapshot', '');
    const regressions = [...s.regressions, ...s.failingAdded];
    lines.push(
      ...regressions.slice(0, MAX_REGRESSIONS).map((l) => `- ${md(l.slice(0, 200))}`),
      ...(regressions.length > MAX_REGRESSIONS ? [`- and ${regressions.length - MAX_REGRESSIONS} more`] : []),
      `${regressions.length ? '' : 'No regression. '}${s.improvements.length} improvements, ${s.known.length} known ` +
        `failures, ${s.changed.length} changed.`,
      '',
    );
  }
  const strict = strictLinesOf(report);
  if (strict.length)
    lines.push(
      `Strict findings (warnings): ${strict.length} properties, ${strict.reduce((n, x) => n + x.cells.length, 0)} ` +
        'cells; every cell and its evidence in conformance.md.',
      '',
    );
  return `${lines.join('\n')}\n`;
}
