/**
 * reports/junit.xml, written from the conformance report so that CI test views show the same
 * verdicts as every other report. JUnit has three states; each verdict maps to one:
 *
 *   pass                                          passed
 * warning                                       passed, with <property name="mtls.verdict" value="warning"/> and the
 * finding
 *   fail, control failed, inconclusive, not run   <failure type="<verdict>"> with the reason and the probes' evidence
 *   waived, n/a                                   <skipped message="<verdict>: <reason>"/>
 *
 * One <testsuite> per target (vitest project), one <testcase> per property and TLS version.
 */
import type { ConformanceReport, ResultRow } from './types.js';
import { FAILING } from '../verdicts.js';

const esc = (s: string) =>
  s
    .replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!)
    // XML 1.0 forbids most control characters; program output may carry them.
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

function testcase(r: ResultRow): string {
  const open =
    `    <testcase classname="${esc(`${r.target}.${r.area}`)}" ` +
    `name="${esc(`${r.id} [${r.version}]: ${r.statement}`)}" ` +
    `time="${(r.probes.reduce((s, p) => s + p.evidence.elapsedMs, 0) / 1000).toFixed(3)}">`;
  const props = [
    `      <properties>`,
    `        <property name="mtls.verdict" value="${esc(r.verdict)}"/>`,
    `        <property name="mtls.level" value="${r.level}"/>`,
    ...(r.verdict === 'warning' ? [`        <property name="mtls.warning" value="${esc(r.reason ?? '')}"/>`] : []),
    `      </properties>`,
  ];
  const body: string[] = [];
  if (FAILING.includes(r.verdict)) {
    const evidence = r.probes.map((p) => `${p.label}: ${p.verdict}: ${p.reason}`).join('\n');
    body.push(
      `      <failure type="${esc(r.verdict)}" ` +
        `message="${esc(`${r.verdict}: ${r.reason ?? ''}`)}">${esc(evidence)}</failure>`,
    );
  } else if (r.verdict === 'waived' || r.verdict === 'n/a') {
    body.push(`      <skipped message="${esc(`${r.verdict}: ${r.reason ?? ''}`)}"/>`);
  }
  return [open, ...props, ...body, '    </testcase>'].join('\n');
}

export function renderJunit(report: ConformanceReport): string {
  const suites = report.targets.map((target) => {
    const rows = report.results.filter((r) => r.target === target);
    const failures = rows.filter((r) => FAILING.includes(r.verdict)).length;
    const skipped = rows.filter((r) => r.verdict === 'waived' || r.verdict === 'n/a').length;
    return [
      `  <testsuite name="${esc(target)}" tests="${rows.length}" failures="${failures}" errors="0" ` +
        `skipped="${skipped}">`,
      ...rows.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  const all = report.results;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mtls-conformance" tests="${all.length}" ` +
      `failures="${all.filter((r) => FAILING.includes(r.verdict)).length}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
