/**
 * The published cross-stack matrix (`npm run matrix`): real stacks x properties, from an interop
 * run's report and the interop config. `matrixOf` keeps only what does not change from run to run
 * (verdicts, the catalogue's and the config's words; no seed, no probe labels, which name the
 * run's generated hosts, no times), so
 * docs/matrix/matrix.json can be checked against a later run cell by cell, and the Markdown and
 * HTML pages are pure renderings of it.
 */
import type { Property } from '../catalogue.js';
import { TLS_VERSIONS } from '../tls.js';
import type { CellVerdict } from '../verdicts.js';
import type { ConformanceReport, ResultRow } from './types.js';

/** What the interop config says of one stack (one target). */
export interface StackInfo {
  name: string;
  description?: string;
  /** What the target's `version` command printed. */
  version?: string;
  roles: Array<'server' | 'client'>;
  /** The target's waivers, by key (`id` or `id@TLSv1.2`). */
  waive: Record<string, string>;
}

/** One stack's verdict on one property, over its TLS versions and key types. */
export interface MatrixCell {
  /** The worst verdict of its rows; `—` when the stack has no such role. */
  verdict: CellVerdict | '—';
  /** Where that verdict was seen, when not everywhere the property ran: `TLSv1.2`, `TLSv1.3 ecdsa-p256`. */
  where?: string[];
}

export interface Matrix {
  /** The key types and TLS versions the run covered. */
  keys: string[];
  versions: string[];
  properties: Array<Pick<Property, 'id' | 'area' | 'level' | 'role' | 'statement'>>;
  stacks: StackInfo[];
  /** cells[stack][property id] */
  cells: Record<string, Record<string, MatrixCell>>;
}

/** Worst first: the verdict a cell shows when its rows disagree. */
const SEVERITY: readonly CellVerdict[] = [
  'fail',
  'control failed',
  'inconclusive',
  'not run',
  'warning',
  'waived',
  'pass',
  'n/a',
];

/** The config target a report row belongs to: its project is `<target>[:<name>][/<key type>]`. */
const stackOf = (row: ResultRow, names: Set<string>): string | undefined => {
  const base = row.target.split('/')[0]!;
  return names.has(base) ? base : names.has(base.split(':')[0]!) ? base.split(':')[0] : undefined;
};

export function matrixOf(report: ConformanceReport, stacks: StackInfo[]): Matrix {
  const names = new Set(stacks.map((s) => s.name));
  const keys = [...new Set(report.results.map((r) => r.key))].sort();
  const versions = TLS_VERSIONS.filter((v) => report.results.some((r) => r.version === v));
  const rows = new Map<string, ResultRow[]>();
  for (const row of report.results) {
    const stack = stackOf(row, names);
    if (!stack) continue;
    const k = `${stack} ${row.id}`;
    rows.set(k, [...(rows.get(k) ?? []), row]);
  }
  const cells: Matrix['cells'] = {};
  for (const stack of stacks) {
    cells[stack.name] = {};
    for (const p of report.catalogue) {
      const mine = rows.get(`${stack.name} ${p.id}`) ?? [];
      cells[stack.name]![p.id] = stack.roles.includes(p.role) && mine.length ? cellOf(mine, keys) : { verdict: '—' };
    }
  }
  return {
    keys,
    versions,
    properties: report.catalogue.map(({ id, area, level, role, statement }) => ({ id, area, level, role, statement })),
    stacks,
    cells,
  };
}

function cellOf(rows: ResultRow[], keys: string[]): MatrixCell {
  const verdict = SEVERITY.find((v) => rows.some((r) => r.verdict === v))!;
  const ran = rows.filter((r) => r.verdict !== 'n/a');
  const at = rows.filter((r) => r.verdict === verdict);
  const cell: MatrixCell = { verdict };
  if (verdict !== 'n/a' && at.length < ran.length) {
    // Said per version when both key types agree there, per version and key type otherwise.
    cell.where = [
      ...new Set(
        at.map((r) =>
          at.filter((x) => x.version === r.version).length === keys.length ? r.version : `${r.version} ${r.key}`,
        ),
      ),
    ].sort();
  }
  return cell;
}

/** What a stack holds, per area: properties that passed wherever they ran, of those that ran. */
export function holdsOf(m: Matrix, stack: string): Array<{ area: string; holds: number; ran: number }> {
  const areas = [...new Set(m.properties.map((p) => p.area))];
  return areas.map((area) => {
    const cells = m.properties.filter((p) => p.area === area).map((p) => m.cells[stack]![p.id]!);
    const ran = cells.filter((c) => c.verdict !== '—' && c.verdict !== 'n/a' && c.verdict !== 'waived');
    return { area, holds: ran.filter((c) => c.verdict === 'pass').length, ran: ran.length };
  });
}

/** A stack's findings: failed and warned properties, then its waivers, in plain words. */
export function stackFindings(m: Matrix, stack: StackInfo): string[] {
  const out: string[] = [];
  for (const p of m.properties) {
    const c = m.cells[stack.name]![p.id]!;
    if (c.verdict === 'pass' || c.verdict === 'n/a' || c.verdict === '—' || c.verdict === 'waived') continue;
    const where = c.where ? `, ${c.where.join(', ')}` : '';
    out.push(`${c.verdict} \`${p.id}\` (${p.level}${where}): ${p.statement}`);
  }
  for (const [key, reason] of Object.entries(stack.waive).sort(([a], [b]) => a.localeCompare(b)))
    out.push(`waived: \`${key}\`: ${reason}`);
  return out;
}

const SYMBOL: Record<MatrixCell['verdict'], string> = {
  pass: 'pass',
  fail: 'FAIL',
  'control failed': 'control failed',
  inconclusive: 'inconclusive',
  'not run': 'not run',
  warning: 'warn',
  waived: 'waived',
  'n/a': 'n/a',
  '—': '—',
};

const mdCell = (c: MatrixCell) => `${SYMBOL[c.verdict]}${c.where ? ` (${c.where.join(', ')})` : ''}`;
const pipe = (s: string) => s.replaceAll('|', '\\|');

const HEADER = '<!-- generated by `npm run matrix` from an interop run and interop/mtls.interop.ts; do not edit -->';

function intro(m: Matrix): string[] {
  return [
    `${m.stacks.length} interop targets, real stacks each as server and as client where it has a client ` +
      `program, against ${m.properties.length} properties,`,
    `on ${m.versions.join(' and ')} with ${m.keys.join(' and ')} keys: a fresh PKI per run, adversarial peers, ` +
      'each verdict from evidence,',
    "refusals read in the service's own protocol. **pass**: shown to hold wherever it ran; **FAIL**: a baseline " +
      'property does not hold;',
    '**warn**: a strict property does not hold; **waived**: the stack cannot take part, or a known finding, with ' +
      'the reason below;',
    "**n/a**: does not apply (the reason is in the run's report); **—**: the stack has no such role. A cell shows " +
      'its worst verdict,',
    'with where it was seen when not everywhere.',
  ];
}

export function renderMatrixMarkdown(m: Matrix): string {
  const lines = ['# How real TLS stacks behave under mutual TLS', '', HEADER, '', ...intro(m), ''];
  lines.push('## The stacks', '', '| stack | version | roles | holds | findings |', '|---|---|---|---|---|');
  for (const s of m.stacks) {
    const holds = holdsOf(m, s.name);
    const sum = holds.reduce((a, h) => ({ holds: a.holds + h.holds, ran: a.ran + h.ran }), { holds: 0, ran: 0 });
    lines.push(
      `| [${s.name}](#${s.name}) | ${pipe(s.version ?? 'unknown')} | ${s.roles.join(', ')} | ` +
        `${sum.holds} of ${sum.ran} | ${stackFindings(m, s).length} |`,
    );
  }
  for (const s of m.stacks) {
    lines.push('', `### ${s.name}`, '');
    if (s.description) lines.push(pipe(s.description), '');
    lines.push(`Version: ${s.version ?? 'unknown'}. Roles: ${s.roles.join(', ')}.`, '');
    const holds = holdsOf(m, s.name).filter((h) => h.ran);
    lines.push(`What holds: ${holds.map((h) => `${h.area} ${h.holds} of ${h.ran}`).join(', ')}.`, '');
    const findings = stackFindings(m, s);
    lines.push(findings.length ? 'Findings:' : 'Findings: none.', '');
    for (const f of findings) lines.push(`- ${pipe(f)}`);
  }
  lines.push('', '## The matrix', '');
  lines.push(`| property | level | role | ${m.stacks.map((s) => s.name).join(' | ')} |`);
  lines.push(`|---|---|---|${m.stacks.map(() => '---').join('|')}|`);
  for (const p of m.properties)
    lines.push(
      `| \`${p.id}\` | ${p.level} | ${p.role} | ${m.stacks.map((s) => mdCell(m.cells[s.name]![p.id]!)).join(' | ')} |`,
    );
  return `${lines.join('\n')}\n`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ENTITIES[c]!);
const cls = (v: string) => `v-${v.replace(/[^a-z]+/g, '-') || 'none'}`;
/** `code` spans of the Markdown findings, as HTML. */
const codeSpans = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
const boldSpans = (s: string) => esc(s).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');

export function renderMatrixHtml(m: Matrix): string {
  const stackRows = m.stacks.map((s) => {
    const holds = holdsOf(m, s.name);
    const sum = holds.reduce((a, h) => ({ holds: a.holds + h.holds, ran: a.ran + h.ran }), { holds: 0, ran: 0 });
    return (
      `<tr><td><a href="#stack-${esc(s.name)}">${esc(s.name)}</a></td><td>${esc(s.version ?? 'unknown')}</td>` +
      `<td>${esc(s.roles.join(', '))}</td><td>${sum.holds} of ${sum.ran}</td>` +
      `<td>${stackFindings(m, s).length}</td></tr>`
    );
  });
  const sections = m.stacks.map((s) => {
    const holds = holdsOf(m, s.name).filter((h) => h.ran);
    const findings = stackFindings(m, s);
    return (
      `<section id="stack-${esc(s.name)}"><h3>${esc(s.name)}</h3>` +
      (s.description ? `<p>${esc(s.description)}</p>` : '') +
      `<p>Version: ${esc(s.version ?? 'unknown')}. Roles: ${esc(s.roles.join(', '))}.</p>` +
      `<p>What holds: ${esc(holds.map((h) => `${h.area} ${h.holds} of ${h.ran}`).join(', '))}.</p>` +
      (findings.length
        ? `<ul class="findings">${findings.map((f) => `<li>${codeSpans(f)}</li>`).join('')}</ul>`
        : '<p>Findings: none.</p>') +
      '</section>'
    );
  });
  const head = `<tr><th>property</th><th>level</th><th>role</th>${m.stacks
    .map((s) => `<th><a href="#stack-${esc(s.name)}">${esc(s.name)}</a></th>`)
    .join('')}</tr>`;
  const body = m.properties.map((p) => {
    const cells = m.stacks.map((s) => {
      const c = m.cells[s.name]![p.id]!;
      const title = [`${s.name}, ${p.id}: ${c.verdict}`, c.where && `seen on ${c.where.join(', ')}`]
        .filter(Boolean)
        .join('\n');
      return `<td class="${cls(c.verdict)}" title="${esc(title)}">${esc(SYMBOL[c.verdict])}${
        c.where ? `<small> ${esc(c.where.join(', '))}</small>` : ''
      }</td>`;
    });
    const property = `<td title="${esc(p.statement)}"><code>${esc(p.id)}</code></td>`;
    return `<tr>${property}<td>${p.level}</td><td>${p.role}</td>${cells.join('')}</tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${HEADER}
<title>mtls-conformance: how real TLS stacks behave under mutual TLS</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;max-width:100rem}
h1{font-size:1.5rem}h2{margin-top:2rem}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2rem .45rem;text-align:left;vertical-align:top}
#matrix th{position:sticky;top:0;background:#f6f8fa}
#matrix td:nth-child(n+4){text-align:center;white-space:nowrap}
small{color:#57606a}code{font-size:.92em}
.v-pass{background:#dafbe1}.v-fail{background:#ffc1c0;font-weight:600}.v-warning{background:#fff1b3}
.v-waived{background:#ddf4ff}.v-n-a,.v-none{color:#8c959f}
.v-control-failed,.v-inconclusive,.v-not-run{background:#f0d9ff}
section{border-top:1px solid #d0d7de;margin-top:1rem}.findings li{margin:.2rem 0}
</style></head><body>
<h1>How real TLS stacks behave under mutual TLS</h1>
<p>${intro(m).map(boldSpans).join(' ')}</p>
<h2>The stacks</h2>
<table id="stacks"><tr><th>stack</th><th>version</th><th>roles</th><th>holds</th><th>findings</th></tr>
${stackRows.join('\n')}
</table>
<h2>The matrix</h2>
<table id="matrix">
${head}
${body.join('\n')}
</table>
<h2>Findings, per stack</h2>
${sections.join('\n')}
</body></html>
`;
}

/**
 * How a published matrix differs from the current one: properties, stacks (their words; not their
 * versions, which move with the machine's packages) and cells. Empty: the published one is fresh.
 */
export function matrixDrift(published: Matrix, current: Matrix): string[] {
  const out: string[] = [];
  const ids = (m: Matrix) => m.properties.map((p) => JSON.stringify(p));
  const was = new Set(ids(published));
  const now = new Set(ids(current));
  for (const p of current.properties) if (!was.has(JSON.stringify(p))) out.push(`property ${p.id}: new or changed`);
  for (const p of published.properties) if (!now.has(JSON.stringify(p))) out.push(`property ${p.id}: gone or changed`);
  const words = ({ version: _version, ...s }: StackInfo) => JSON.stringify(s);
  const stacks = new Map(published.stacks.map((s) => [s.name, s]));
  for (const s of current.stacks) {
    const old = stacks.get(s.name);
    if (!old) out.push(`stack ${s.name}: not published`);
    else if (words(old) !== words(s)) out.push(`stack ${s.name}: its description, roles or waivers changed`);
  }
  for (const s of published.stacks)
    if (!current.stacks.some((c) => c.name === s.name)) out.push(`stack ${s.name}: no longer in the interop config`);
  for (const s of current.stacks)
    for (const p of current.properties) {
      const a = published.cells[s.name]?.[p.id];
      const b = current.cells[s.name]![p.id]!;
      if (a && JSON.stringify(a) !== JSON.stringify(b))
        out.push(`${s.name} ${p.id}: published ${mdCell(a)}, now ${mdCell(b)}`);
    }
  return out;
}
