/**
 * A vitest reporter that joins test results to the property catalogue and writes
 * reports/conformance.json, reports/conformance.md and reports/junit.xml: one row per property x
 * target x TLS version, with the verdict (harness/verdicts.ts) and the evidence the probes
 * attached to the test. It prints the run's conformance summary last, and fails the run (exit 1)
 * on any failing verdict, including those vitest shows as skipped (`not run`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { CATALOGUE, type Property } from '../catalogue.js';
import type { ProbeRecord } from '../spec/context.js';
import { TLS_VERSIONS } from '../tls.js';
import { countsLine, FAILING, noCounts, type CellVerdict, type VerdictCounts } from '../verdicts.js';
import { currentRun } from '../run.js';
import { renderJunit } from './junit.js';

export interface ResultRow {
  id: string;
  /** The vitest project: the target, with its key type when the run has more than one. */
  target: string;
  key: string;
  version: string;
  verdict: CellVerdict;
  /** Why: the finding, the failed control (with its hint), the waiver, the n/a or not-run reason, the failed assertion. */
  reason?: string;
  /** Evidence that decided nothing (what a program does not show). */
  notes?: string[];
  level: Property['level'];
  role: Property['role'];
  area: Property['area'];
  statement: string;
  probes: ProbeRecord[];
}

export interface ConformanceReport {
  generatedAt: string;
  seed?: number;
  targets: string[];
  summary: VerdictCounts;
  /** Good exchanges that failed, each the root cause of a role and version's `not run` checks. */
  rootCauses: string[];
  results: ResultRow[];
  catalogue: readonly Property[];
}

export const MARK: Record<CellVerdict, string> = {
  pass: 'pass', fail: '**FAIL**', 'control failed': '**CONTROL FAILED**', inconclusive: '**INCONCLUSIVE**',
  warning: 'WARN (strict)', waived: '_waived_', 'n/a': 'n/a', 'not run': '**NOT RUN**',
};

/** The cell of one test, or undefined for a test that is not a check or did not run in this run (-t, --shard). */
export function rowOf(test: TestCase, project: string): ResultRow | undefined {
  const meta = test.meta().mtls;
  if (!meta) return undefined;
  const prop = CATALOGUE.find((p) => p.id === meta.id)!;
  const result = test.result();
  let verdict = meta.verdict;
  let reason = meta.reason;
  if (!verdict) {
    // The wrapper did not get to decide (a vitest timeout, a crash): nothing clear was shown.
    if (result.state !== 'failed') return undefined;
    verdict = 'inconclusive';
    reason = result.errors?.[0]?.message?.split('\n')[0];
  }
  return {
    id: meta.id, target: project, key: meta.key, version: meta.version, verdict, reason, notes: meta.notes?.length ? meta.notes : undefined,
    level: prop.level, role: prop.role, area: prop.area, statement: prop.statement, probes: meta.probes,
  };
}

export class ConformanceReporter implements Reporter {
  constructor(private readonly dir: string) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const results: ResultRow[] = [];
    const targets = new Set<string>();
    for (const mod of testModules) {
      targets.add(mod.project.name);
      for (const test of mod.children.allTests()) {
        const row = rowOf(test, mod.project.name);
        if (row) results.push(row);
      }
    }
    const summary = noCounts();
    for (const r of results) summary[r.verdict]++;
    const seed = Number(process.env.MTLS_SEED_USED) || undefined;
    const rootCauses = currentRun().rootCauses;
    const report: ConformanceReport = { generatedAt: new Date().toISOString(), seed, targets: [...targets].sort(), summary, rootCauses, results, catalogue: CATALOGUE };
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, 'conformance.json'), JSON.stringify(report, null, 2));
    writeFileSync(path.join(this.dir, 'conformance.md'), renderMarkdown(report));
    writeFileSync(path.join(this.dir, 'junit.xml'), renderJunit(report));
    process.stdout.write(renderConsole(report, path.join(this.dir, 'conformance.md')));
    // `not run` checks are skipped tests to vitest: the run still fails on them.
    if (results.some((r) => FAILING.includes(r.verdict))) process.exitCode = 1;
  }
}

const where = (r: ResultRow) => `${r.target} ${r.version}`;

/** What a person reads at the end of a run: root causes first, then each failure and finding in a line or two. */
export function renderConsole(report: ConformanceReport, file: string): string {
  const lines: string[] = [''];
  if (report.rootCauses.length) lines.push('mtls-conformance: root causes (the good exchange failed; those checks are not run):', ...report.rootCauses.map((c) => `  - ${c.replace(/\n/g, '\n    ')}`), '');
  const failing = report.results.filter((r) => FAILING.includes(r.verdict) && r.verdict !== 'not run');
  if (failing.length) {
    lines.push('mtls-conformance: failed checks:');
    for (const r of failing) lines.push(`  ${r.verdict.toUpperCase()} ${r.id} [${where(r)}]: ${r.statement}`, `      ${r.reason ?? ''}`);
    lines.push('');
  }
  const warnings = report.results.filter((r) => r.verdict === 'warning');
  if (warnings.length) {
    lines.push('mtls-conformance: strict findings (warnings; MTLS_PROFILE=strict makes them fail):');
    for (const r of warnings) lines.push(`  WARN ${r.id} [${where(r)}]: ${r.reason ?? ''}`);
    lines.push('');
  }
  lines.push(`mtls-conformance: ${countsLine(report.summary)}; ${file}`, '');
  return lines.join('\n');
}

function evidenceLine(p: ProbeRecord): string {
  const e = p.evidence;
  const n = e.negotiated ?? {};
  const negotiated = n.version ?? e.client.protocol ?? e.server.protocol;
  const cipher = n.cipher ?? e.client.standardCipher ?? e.server.cipher;
  const group = n.group ?? e.client.group;
  const bits = [
    `pinned ${e.version}`,
    e.sni ? `SNI ${e.sni}` : `verifying ${e.name}`,
    e.httpHost && `Host ${e.httpHost}`,
    negotiated && `negotiated ${negotiated} ${cipher ?? ''}`.trim(),
    group && `group ${group}`,
    n.signatureScheme && `signature ${n.signatureScheme}`,
    n.alert?.s2c && `alert from server ${n.alert.s2c}`,
    n.alert?.c2s && `alert from client ${n.alert.c2s}`,
    e.server.authorizationError && `server authorizationError ${e.server.authorizationError}`,
    e.client.authorizationError && `client authorizationError ${e.client.authorizationError}`,
    e.server.alert && `server alert ${e.server.alert}`,
    e.client.alert && `client alert ${e.client.alert}`,
    e.server.exit !== undefined && `server program exit ${e.server.exit}`,
    e.client.exit !== undefined && `client program exit ${e.client.exit}`,
    `app bytes c2s ${e.server.delivered}, s2c ${e.client.received}`,
    e.wire.tampered && `tampered ${e.wire.tampered.direction} ${e.wire.tampered.type} record #${e.wire.tampered.recordIndex}`,
  ].filter(Boolean);
  return `${p.label}: **${p.verdict}** (${p.reason}; ${bits.join('; ')})`;
}

export function renderMarkdown(report: ConformanceReport): string {
  const cells = new Map(report.results.map((r) => [`${r.id}|${r.target}|${r.version}`, r]));
  const columns = report.targets.flatMap((t) => TLS_VERSIONS.map((v) => ({ t, v })));
  const lines = [
    '# mtls-conformance report',
    '',
    `Generated ${report.generatedAt}${report.seed !== undefined ? `, PKI seed ${report.seed}` : ''}.`,
    `${countsLine(report.summary)}.`,
    '',
    'Levels: **baseline** properties are the document and RFC MUSTs, and a failure fails the run; **strict** ones are SHOULDs and',
    'webpki-style strictness, and a target that does not hold one shows WARN (a failure only with MTLS_PROFILE=strict).',
    'CONTROL FAILED: the adversarial probe was rejected but so was its control, so the property could not be shown (not a failure',
    "of the property; the run fails). n/a: the harness's reason the check does not apply; waived: the target's own reason;",
    'NOT RUN: the good exchange of that role and version failed first (see Root causes). A blank cell did not run in this run.',
    '',
  ];
  if (report.rootCauses.length) lines.push('## Root causes', '', ...report.rootCauses.map((c) => `- ${c.replace(/\n\s*/g, ' ')}`), '');
  lines.push(`| property | level | role | ${columns.map((c) => `${c.t} ${c.v}`).join(' | ')} |`, `|---|---|---|${columns.map(() => '---').join('|')}|`);
  for (const p of report.catalogue) {
    const row = columns.map((c) => { const r = cells.get(`${p.id}|${c.t}|${c.v}`); return r ? MARK[r.verdict] : ''; });
    lines.push(`| \`${p.id}\` | ${p.level} | ${p.role} | ${row.join(' | ')} |`);
  }
  const warnings = report.results.filter((r) => r.verdict === 'warning');
  if (warnings.length) lines.push('', '## Strict findings', '', ...warnings.map((r) => `- ${where(r)}: \`${r.id}\`: ${r.reason}`));
  lines.push('', '## Evidence', '');
  for (const r of report.results) {
    lines.push(`### \`${r.id}\` (${r.level}), ${where(r)}: ${MARK[r.verdict]}`, '', r.statement, '');
    if (r.reason) lines.push(`${r.verdict}: ${r.reason}`, '');
    for (const note of r.notes ?? []) lines.push(`- note: ${note}`);
    for (const p of r.probes) lines.push(`- ${evidenceLine(p)}`);
    lines.push('');
  }
  return lines.join('\n');
}
