/**
 * A vitest reporter that joins test results to the property catalogue and writes
 * reports/conformance.json, reports/conformance.md and reports/junit.xml: one row per property x
 * target x TLS version, with the verdict (harness/verdicts.ts) and the evidence the probes
 * attached to the test. It prints the run's conformance summary last, and fails the run (exit 1)
 * on any failing verdict, including those vitest shows as skipped (`not run`).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { clientAuthModes } from './modes.js';
import { sessionSupport } from './sessions.js';
import { CATALOGUE } from '../catalogue.js';
import type { ConformanceReport, ResultRow } from './types.js';
import type { ProbeRecord } from '../spec/records.js';
import { TLS_VERSIONS } from '../tls.js';
import { countsLine, FAILING, noCounts, type CellVerdict } from '../verdicts.js';
import { currentRun } from '../run.js';
import { positionalArgs } from '../config/projects.js';
import { renderJunit } from './junit.js';
import { renderHtml } from './html.js';
import { compare, programVersion, readSnapshot, snapshotPath, takeSnapshot, writeSnapshot } from './snapshot.js';
import { githubAnnotations, githubSummary } from './github.js';
import { renderConsole } from './console.js';
import { renderSummary } from './summary.js';
import { stackOfProgram } from './findings.js';

export const MARK: Record<CellVerdict, string> = {
  pass: 'pass',
  fail: '**FAIL**',
  'control failed': '**CONTROL FAILED**',
  inconclusive: '**INCONCLUSIVE**',
  warning: 'WARN (strict)',
  waived: '_waived_',
  'n/a': 'n/a',
  'not run': '**NOT RUN**',
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
    id: meta.id,
    target: project,
    key: meta.key,
    version: meta.version,
    verdict,
    reason,
    notes: meta.notes?.length ? meta.notes : undefined,
    level: prop.level,
    role: prop.role,
    area: prop.area,
    statement: prop.statement,
    seed: meta.seed,
    probes: meta.probes,
  };
}

/** Marks the reporter, so a run with other reporters on its command line still gets it (vitest.config.ts). */
export const CONFORMANCE_REPORTER = Symbol.for('mtls-conformance.reporter');

export class ConformanceReporter implements Reporter {
  readonly [CONFORMANCE_REPORTER] = true;
  private vitest?: Vitest;
  constructor(private readonly dir: string) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  /** A run narrowed by --project, --tags-filter, -t, --shard or file filters: only the cells it ran are compared. */
  private filtered(modules: ReadonlyArray<TestModule>): boolean {
    const c = this.vitest?.config as
      { project?: string[]; tagsFilter?: string[]; testNamePattern?: unknown; shard?: unknown } | undefined;
    if (!c) return true;
    const specs = new Set(modules.map((m) => path.basename(m.moduleId)));
    const projects = new Set(modules.map((m) => m.project.name));
    return (
      !!(c.project?.length || c.tagsFilter?.length || c.testNamePattern || c.shard) ||
      modules.length < specs.size * projects.size ||
      projects.size < this.conformanceProjects().length
    );
  }

  /** The conformance projects the run selected (a project of the suite is given a target to test). */
  private conformanceProjects(): string[] {
    return (this.vitest?.projects ?? [])
      .filter((p) => (p.config.provide as { mtlsTarget?: string } | undefined)?.mtlsTarget !== undefined)
      .map((p) => p.name);
  }

  async onTestRunEnd(allModules: ReadonlyArray<TestModule>): Promise<void> {
    // Beside a team's own projects (the preset), theirs are not cells; a failure among them still fails the run.
    const ours = new Set(this.conformanceProjects());
    const testModules = this.vitest ? allModules.filter((m) => ours.has(m.project.name)) : allModules;
    const othersFailed = allModules.some((m) => !testModules.includes(m) && m.state() === 'failed');
    // A run that selected no project of the suite (a team's `vitest run --project unit`) is not ours to judge.
    const selected = this.conformanceProjects();
    if (this.vitest && selected.length === 0) return;
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
    const run = currentRun();
    // Each shard (and each run) issues its own PKI: the seeds are those the checks ran under.
    const seeds = [...new Set(results.map((r) => r.seed).filter((s): s is number => s !== undefined))].sort(
      (a, b) => a - b,
    );
    const report: ConformanceReport = {
      generatedAt: new Date().toISOString(),
      seed: seeds.length === 1 ? seeds[0] : undefined,
      seeds,
      targets: [...targets].sort(),
      summary,
      rootCauses: run.rootCauses.length ? run.rootCauses : rootCausesOf(results),
      results,
      catalogue: CATALOGUE,
      clientAuthModes: clientAuthModes(results),
      sessions: sessionSupport(results),
    };
    const config = await run.config.catch(() => undefined);
    const stacks = Object.fromEntries(
      Object.entries(config?.targets ?? {}).map(([name, t]) => [
        name,
        Object.fromEntries(
          (['server', 'client'] as const).flatMap((role) => {
            const r = t[role];
            const stack = r && stackOfProgram(r.kind, r.kind === 'command' ? r.command[0] : undefined);
            return stack ? [[role, stack]] : [];
          }),
        ),
      ]),
    );
    if (Object.values(stacks).some((s) => Object.keys(s).length)) report.stacks = stacks;

    // The snapshot: written with vitest's update flag (-u), otherwise compared when present.
    const file = snapshotPath(run.configFile);
    const update = this.vitest?.config.snapshotOptions?.updateSnapshot === 'all';
    const filtered = this.filtered(testModules);
    const programs = Object.values(config?.targets ?? {})
      .flatMap((t) => [t.server, t.client])
      .flatMap((r) => (r?.kind === 'command' ? [r.command[0]!] : []));
    let notes = '';
    if (update) {
      const before = filtered ? readSnapshot(file) : undefined;
      const taken = takeSnapshot(results, [...new Set(programs)].map(programVersion));
      writeSnapshot(
        file,
        before
          ? {
              ...taken,
              cells: Object.fromEntries(
                Object.entries({ ...before.cells, ...taken.cells }).sort(([a], [b]) => a.localeCompare(b)),
              ),
            }
          : taken,
      );
      const known = results.filter((r) => FAILING.includes(r.verdict)).length;
      const merged = filtered ? ', merged into the cells it had' : '';
      const recorded = known ? `; ${known} failing cells recorded as known` : '';
      notes = `mtls-conformance: snapshot written: ${file} (${results.length} cells${merged}${recorded})\n`;
    } else {
      const snapshot = readSnapshot(file);
      if (snapshot)
        report.snapshot = {
          file,
          filtered,
          ...compare(
            snapshot,
            results,
            (id) => CATALOGUE.find((p) => p.id === id)?.level ?? 'baseline',
            filtered,
            (id) => CATALOGUE.find((p) => p.id === id)?.movedFrom,
          ),
        };
    }

    const code = Math.max(exitCode(report, update), othersFailed ? 1 : 0);
    // The gate's verdict in the reports: none when the run wrote the snapshot or ran nothing.
    const gate = update || results.length === 0 ? undefined : code;
    const summaryText = renderSummary(report, gate);
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, 'conformance.json'), JSON.stringify(report, null, 2));
    writeFileSync(path.join(this.dir, 'conformance-summary.md'), summaryText);
    writeFileSync(path.join(this.dir, 'conformance.md'), `${summaryText}\n${renderMarkdown(report)}`);
    writeFileSync(path.join(this.dir, 'junit.xml'), renderJunit(report));
    writeFileSync(path.join(this.dir, 'conformance.html'), renderHtml(report, gate));
    const tests = testModules.flatMap((m) => [...m.children.allTests()].map((t) => t.result().state));
    process.stdout.write(
      renderConsole(report, path.join(this.dir, 'conformance.md'), {
        exitCode: gate,
        verbose: process.env.MTLS_VERBOSE === '1',
        vitest: {
          passed: tests.filter((t) => t === 'passed').length,
          failed: tests.filter((t) => t === 'failed').length,
          skipped: tests.filter((t) => t === 'skipped').length,
        },
      }) + notes,
    );
    if (process.env.GITHUB_ACTIONS === 'true') {
      process.stdout.write(githubAnnotations(report));
      if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, githubSummary(report, gate));
    }
    // The gate decides for the cells (a known failure in the snapshot passes it); not for the others.
    process.exitCode = code;
    // Nothing ran is a failure: a filter that matches no check must not pass the gate.
    if (results.length === 0) {
      process.stdout.write(`mtls-conformance: no check ran: ${nothingRanBecause(this.vitest, testModules)}\n`);
      process.exitCode = 1;
    }
  }
}

/** Why a run with conformance projects selected ran no check: the filter that matched nothing. */
export function nothingRanBecause(
  vitest: Vitest | undefined,
  modules: ReadonlyArray<TestModule>,
  argv: string[] = process.argv,
): string {
  const c = vitest?.config as { testNamePattern?: RegExp; tagsFilter?: string[] } | undefined;
  if (!modules.length) {
    const paths = positionalArgs(argv);
    return (
      `no spec file matched${paths.length ? ` the path filter ${paths.map((p) => `'${p}'`).join(', ')}` : ''} ` +
      `(the suite's spec files are specs/*.spec.ts)`
    );
  }
  // A spec file that could not be loaded ran nothing: its error is the reason, not a filter.
  const broken = modules.find((m) => m.errors().length > 0);
  if (broken)
    return `spec file ${path.basename(broken.moduleId)} failed to load: ${broken.errors()[0]!.message.split('\n')[0]}`;
  if (c?.testNamePattern)
    return (
      `the test-name filter (-t) ${String(c.testNamePattern)} matched no check's name (checks are named ` +
      `'<property id>: <statement>')`
    );
  if (c?.tagsFilter?.length)
    return (
      `the tag filter (--tags-filter) ${c.tagsFilter.map((t) => `'${t}'`).join(', ')} matched no check (tags: ` +
      `areas, baseline, strict, server, client)`
    );
  return 'every selected check was filtered out';
}

/** Root causes read back from the `not run` cells, when this process did not run the good exchanges (merged shards). */
function rootCausesOf(results: ResultRow[]): string[] {
  const seen = new Map<string, string>();
  for (const r of results.filter((x) => x.verdict === 'not run'))
    seen.set(`target '${r.target}' ${r.role}, ${r.version}`, r.reason ?? '');
  return [...seen].map(([where, reason]) => `${where}: ${reason}`);
}

/**
 * 1 when the gate fails, else 0. With a snapshot: only a regression (or a new failing baseline
 * cell) fails; known failures are shown, not failed. Without one: any failing verdict fails.
 * Writing the snapshot records the run as it is. (2, bad input, ends the run before this.)
 */
export function exitCode(report: ConformanceReport, updated: boolean): 0 | 1 {
  if (updated) return 0;
  if (report.snapshot) return report.snapshot.regressions.length || report.snapshot.failingAdded.length ? 1 : 0;
  return report.results.some((r) => FAILING.includes(r.verdict)) ? 1 : 0;
}

const where = (r: ResultRow) => `${r.target} ${r.version}`;

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
    e.wire.tampered &&
      `tampered ${e.wire.tampered.direction} ${e.wire.tampered.type} record #${e.wire.tampered.recordIndex}`,
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
    'Levels: **baseline** properties are the document and RFC MUSTs, and a failure fails the run; **strict** ones ' +
      'are SHOULDs and',
    'webpki-style strictness, and a target that does not hold one shows WARN (a failure only with ' +
      'MTLS_PROFILE=strict).',
    'CONTROL FAILED: the adversarial probe was rejected but so was its control, so the property could not be shown ' +
      '(not a failure',
    "of the property; the run fails). n/a: the harness's reason the check does not apply; waived: the target's own " +
      'reason;',
    'NOT RUN: the good exchange of that role and version failed first (see Root causes). A blank cell did not run ' +
      'in this run.',
    '',
  ];
  if (report.rootCauses.length)
    lines.push('## Root causes', '', ...report.rootCauses.map((c) => `- ${c.replace(/\n\s*/g, ' ')}`), '');
  lines.push(
    `| property | level | role | ${columns.map((c) => `${c.t} ${c.v}`).join(' | ')} |`,
    `|---|---|---|${columns.map(() => '---').join('|')}|`,
  );
  for (const p of report.catalogue) {
    const row = columns.map((c) => {
      const r = cells.get(`${p.id}|${c.t}|${c.v}`);
      return r ? MARK[r.verdict] : '';
    });
    lines.push(`| \`${p.id}\` | ${p.level} | ${p.role} | ${row.join(' | ')} |`);
  }
  const modes = report.clientAuthModes ?? [];
  if (modes.length) {
    lines.push(
      '',
      '## Client authentication mode',
      '',
      'Judged by behaviour (a client without a certificate, next to the good one); CA names from the ' +
        "CertificateRequest (in clear in TLS 1.2; in TLS 1.3 read from the server's encrypted flight with the " +
        "reference client's key log). From the good client's handshake: the OCSP response the server stapled (the " +
        'client asks for one), and whether its TLS 1.2 ServerHello indicated secure renegotiation (RFC 5746).',
      '',
      '| server | version | mode | CA names asked for | OCSP stapled | secure renegotiation | evidence |',
      '|---|---|---|---|---|---|---|',
    );
    for (const m of modes) {
      const names =
        m.caNames === undefined
          ? m.requestHidden
            ? 'not visible (TLS 1.3 encrypts the CertificateRequest)'
            : ''
          : m.caNames.length === 0
            ? '(empty list)'
            : m.caNames.length > 3
              ? `${m.caNames.slice(0, 3).join('; ')}; and ${m.caNames.length - 3} more`
              : m.caNames.join('; ');
      const stapled = m.ocspStapled ? `yes (${m.ocspStapled} bytes)` : 'no';
      const reneg =
        m.secureRenegotiation === undefined ? '' : m.secureRenegotiation ? 'indicated' : '**not indicated**';
      lines.push(
        `| ${m.target} | ${m.version} | ${m.mode} | ${names} | ${stapled} | ${reneg} | ` +
          `${m.evidence.replace(/\|/g, '\\|').slice(0, 300)} |`,
      );
    }
  }
  const sessions = report.sessions ?? [];
  if (sessions.length) {
    lines.push(
      '',
      '## Session resumption',
      '',
      "From the resumption checks' positive controls: the good peer's session offered again, the trust unchanged.",
      '',
      '| target | role | version | resumes | how | evidence |',
      '|---|---|---|---|---|---|',
    );
    for (const s of sessions)
      lines.push(
        `| ${s.target} | ${s.role} | ${s.version} | ${s.resumes} | ${s.how ?? ''} | ` +
          `${s.evidence.replace(/\|/g, '\\|').slice(0, 300)} |`,
      );
  }
  const warnings = report.results.filter((r) => r.verdict === 'warning');
  if (warnings.length)
    lines.push('', '## Strict findings', '', ...warnings.map((r) => `- ${where(r)}: \`${r.id}\`: ${r.reason}`));
  const s = report.snapshot;
  if (s) {
    lines.push('', `## Snapshot ${s.file}`, '');
    for (const [title, items] of [
      ['Regressions', s.regressions],
      ['New failing cells (baseline)', s.failingAdded],
      ['New cells', s.added],
      ['Improvements', s.improvements],
      ['Changed evidence', s.changed],
      ['Known failures', s.known],
      [s.filtered ? 'Not run in this narrowed run' : 'No longer run', s.missing],
    ] as const) {
      lines.push(`### ${title} (${items.length})`, '', ...items.map((l) => `- ${l}`), '');
    }
  }
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
