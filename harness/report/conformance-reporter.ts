/**
 * A vitest reporter that joins test results to the property catalogue and writes
 * reports/conformance.json and reports/conformance.md: one row per property x target x TLS
 * version, with the verdict and the evidence the probes attached to the test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { CATALOGUE, type Property } from '../catalogue.js';
import type { ProbeRecord } from '../spec/context.js';
import { TLS_VERSIONS } from '../tls.js';

/** warning: a strict property the target does not hold (fails only with MTLS_PROFILE=strict). */
export type CellVerdict = 'pass' | 'warning' | 'fail' | 'inconclusive' | 'waived' | 'skipped';

export interface ResultRow {
  id: string;
  /** The vitest project: the target, with its key type when the run has more than one. */
  target: string;
  key: string;
  version: string;
  verdict: CellVerdict;
  level: Property['level'];
  role: Property['role'];
  area: Property['area'];
  statement: string;
  /** The first assertion that failed, when the check failed. */
  failure?: string;
  /** The target's written reason for sitting the check out. */
  waived?: string;
  /** What a strict finding was. */
  warning?: string;
  probes: ProbeRecord[];
}

export interface ConformanceReport {
  generatedAt: string;
  seed?: number;
  targets: string[];
  summary: Record<CellVerdict | 'notRun', number>;
  /** Catalogued properties that no test checked, per target (a role the target lacks, or a gap). */
  notRun: Array<{ target: string; id: string; role: string }>;
  results: ResultRow[];
  catalogue: readonly Property[];
}

const MARK: Record<CellVerdict, string> = { pass: 'pass', warning: 'WARN (strict)', fail: '**FAIL**', inconclusive: '**INCONCLUSIVE**', waived: '_waived_', skipped: 'skipped' };

export class ConformanceReporter implements Reporter {
  constructor(private readonly dir: string) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const results: ResultRow[] = [];
    const targets = new Set<string>();
    for (const mod of testModules) {
      targets.add(mod.project.name);
      for (const test of mod.children.allTests()) {
        const meta = test.meta().mtls;
        if (!meta) continue;
        const prop = CATALOGUE.find((p) => p.id === meta.id)!;
        const state = test.result().state;
        const inconclusive = meta.probes.some((p) => p.verdict === 'inconclusive');
        const verdict: CellVerdict = meta.waived ? 'waived'
          : state === 'passed' ? (meta.warning ? 'warning' : 'pass')
          : state === 'failed' ? (inconclusive ? 'inconclusive' : 'fail') : 'skipped';
        const errors = test.result().errors ?? [];
        results.push({
          id: meta.id, target: mod.project.name, key: meta.key, version: meta.version, verdict, warning: meta.warning,
          level: prop.level, role: prop.role, area: prop.area, statement: prop.statement,
          failure: errors[0]?.message?.split('\n')[0],
          waived: meta.waived,
          probes: meta.probes,
        });
      }
    }
    const ran = new Set(results.map((r) => `${r.target} ${r.id}`));
    const notRun = [...targets].flatMap((target) => CATALOGUE.filter((p) => !ran.has(`${target} ${p.id}`)).map((p) => ({ target, id: p.id, role: p.role })));
    const summary = { pass: 0, warning: 0, fail: 0, inconclusive: 0, waived: 0, skipped: 0, notRun: notRun.length };
    for (const r of results) summary[r.verdict]++;
    const seed = Number(process.env.MTLS_SEED_USED) || undefined;
    const report: ConformanceReport = { generatedAt: new Date().toISOString(), seed, targets: [...targets].sort(), summary, notRun, results, catalogue: CATALOGUE };
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, 'conformance.json'), JSON.stringify(report, null, 2));
    writeFileSync(path.join(this.dir, 'conformance.md'), renderMarkdown(report));
    // Strict findings pass in vitest's own output; say so, so they are not missed.
    const s = report.summary;
    process.stdout.write(`mtls-conformance: ${s.pass} passed, ${s.fail + s.inconclusive} failed, ${s.warning} strict warnings, ${s.waived} waived; ${path.join(this.dir, 'conformance.md')}\n`);
  }
}

function evidenceLine(p: ProbeRecord): string {
  const e = p.evidence;
  const n = e.negotiated ?? {};
  const negotiated = n.version ?? e.client.protocol ?? e.server.protocol;
  const cipher = n.cipher ?? e.client.standardCipher ?? e.server.cipher;
  const group = n.group ?? e.client.group;
  const bits = [
    `pinned ${e.version}`,
    `verifying ${e.name}`,
    negotiated && `negotiated ${negotiated} ${cipher ?? ''}`.trim(),
    group && `group ${group}`,
    n.signatureScheme && `signature ${n.signatureScheme}`,
    n.alert?.s2c && `alert from server ${n.alert.s2c}`,
    n.alert?.c2s && `alert from client ${n.alert.c2s}`,
    e.server.authorizationError && `server authorizationError ${e.server.authorizationError}`,
    e.client.authorizationError && `client authorizationError ${e.client.authorizationError}`,
    e.server.alert && `server alert ${e.server.alert}`,
    e.client.alert && `client alert ${e.client.alert}`,
    `app bytes c2s ${e.server.delivered}, s2c ${e.client.received}`,
    e.wire.tampered && `tampered ${e.wire.tampered.direction} ${e.wire.tampered.type} record #${e.wire.tampered.recordIndex}`,
  ].filter(Boolean);
  return `${p.label}: **${p.verdict}** (${p.reason}; ${bits.join('; ')})`;
}

export function renderMarkdown(report: ConformanceReport): string {
  const cells = new Map(report.results.map((r) => [`${r.id}|${r.target}|${r.version}`, r]));
  const columns = report.targets.flatMap((t) => TLS_VERSIONS.map((v) => ({ t, v })));
  const s = report.summary;
  const lines = [
    '# mtls-conformance report',
    '',
    `Generated ${report.generatedAt}${report.seed !== undefined ? `, PKI seed ${report.seed}` : ''}.`,
    `${s.pass} passed, ${s.fail} failed, ${s.inconclusive} inconclusive, ${s.warning} strict warnings, ${s.waived} waived (never counted as passed)${s.skipped ? `, ${s.skipped} skipped` : ''}; ${s.notRun} property/target pairs not run.`,
    '',
    'Levels: **baseline** properties are the document and RFC MUSTs, and a failure fails the run; **strict** ones are SHOULDs and',
    'webpki-style strictness, and a target that does not hold one shows WARN (a failure only with MTLS_PROFILE=strict). n/a: the',
    'property is not checked under that version (TLS 1.2 cipher suites; obsolete versions are offered in the TLS 1.2 column).',
    '',
    `| property | level | role | ${columns.map((c) => `${c.t} ${c.v}`).join(' | ')} |`,
    `|---|---|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const p of report.catalogue) {
    const row = columns.map((c) => {
      const r = cells.get(`${p.id}|${c.t}|${c.v}`);
      return r ? MARK[r.verdict] : p.versions && !p.versions.includes(c.v) ? 'n/a' : 'not run';
    });
    lines.push(`| \`${p.id}\` | ${p.level} | ${p.role} | ${row.join(' | ')} |`);
  }
  const warnings = report.results.filter((r) => r.verdict === 'warning');
  if (warnings.length) {
    lines.push('', '## Strict findings', '', ...warnings.map((r) => `- ${r.target} ${r.version}: \`${r.id}\`: ${r.warning}`));
  }
  if (report.notRun.length) {
    lines.push('', '## Not run', '', ...report.notRun.map((n) => `- ${n.target}: \`${n.id}\` (needs a ${n.role} role)`));
  }
  lines.push('', '## Evidence', '');
  for (const r of report.results) {
    lines.push(`### \`${r.id}\` (${r.level}), ${r.target}, ${r.version}: ${MARK[r.verdict]}`, '', r.statement, '');
    if (r.waived) lines.push(`Waived: ${r.waived}`, '');
    if (r.warning) lines.push(`Warning (strict): ${r.warning}`, '');
    if (r.failure) lines.push(`Failure: ${r.failure}`, '');
    for (const p of r.probes) lines.push(`- ${evidenceLine(p)}`);
    lines.push('');
  }
  return lines.join('\n');
}
