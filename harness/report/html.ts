/**
 * reports/conformance.html: one self-contained file (no network) that shows the matrix at a
 * glance: properties grouped by area, with their level, against target x TLS version, each cell
 * coloured by its verdict; a one-line summary on top; filters (area, level, verdict, target); a
 * cell opens its evidence (each probe: label, verdict, reason, negotiated parameters, alerts,
 * timeline) and, with a snapshot, what changed in it.
 */
import { TLS_VERSIONS } from '../tls.js';
import { countsLine, VERDICTS } from '../verdicts.js';
import { cellsText, findingsOf, remedyFor, strictLinesOf, subject } from './findings.js';
import { gateLine } from './summary.js';
import type { ConformanceReport } from './types.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (s: string | number | undefined) => String(s ?? '').replace(/[&<>"]/g, (c) => ENTITIES[c]!);
const settings = (stacks: string[]) =>
  stacks.length ? `<ul>${stacks.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}</ul>` : '';
const cls = (v: string) => `v-${v.replace(/[^a-z]+/g, '-')}`;
/** The gate line of summary.ts, its **bold** as HTML. */
const boldMd = (text: string) => esc(text).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');

/**
 * What a reader takes in first, rendered here rather than by the page's script: the gate, the
 * counts by area and verdict, what to fix first with its remedy, each server's client-authentication
 * mode, the strict findings and the sessions table.
 */
function overview(report: ConformanceReport, exitCode: number | undefined): string {
  const out: string[] = [`<p id="gate">${boldMd(gateLine(report, exitCode))}</p>`];
  const shown = VERDICTS.filter((v) => report.results.some((r) => r.verdict === v));
  const areas = [...new Set(report.catalogue.map((p) => p.area))].filter((a) =>
    report.results.some((r) => r.area === a),
  );
  out.push(
    '<table id="by-area"><tr><th>area</th>' +
      shown.map((v) => `<th class="${cls(v)}">${esc(v)}</th>`).join('') +
      '</tr>',
    ...areas.map(
      (a) =>
        `<tr><td>${esc(a)}</td>` +
        shown
          .map((v) => {
            const n = report.results.filter((r) => r.area === a && r.verdict === v).length;
            return `<td class="${n ? cls(v) : ''}">${n || ''}</td>`;
          })
          .join('') +
        '</tr>',
    ),
    '</table>',
  );
  const findings = findingsOf(report);
  if (findings.length) {
    out.push('<h2>Fix first</h2><ol id="fix-first">');
    for (const f of findings) {
      const [fix, ...stacks] = remedyFor(f, report);
      out.push(
        `<li class="finding${f.regressed ? ' regressed' : ''}"><b>${esc(subject(f))}</b>: ${esc(f.cause)}` +
          (f.regressed ? ' <span class="v-fail">regression</span>' : '') +
          `<ul>${f.properties
            .map((p) => `<li><code>${esc(p.id)}</code> (${esc(cellsText(p.cells))}): ${esc(p.reason)}</li>`)
            .join('')}</ul>` +
          `<div class="fix"><b>Fix:</b> ${esc(fix)}${settings(stacks)}</div></li>`,
      );
    }
    out.push('</ol>');
  }
  const modes = report.clientAuthModes ?? [];
  if (modes.length) {
    // One row per server, a column per version: the mode, the CA names it asks for; the evidence on hover.
    const servers = [...new Set(modes.map((m) => m.target))];
    const cell = (t: string, v: string) => {
      const m = modes.find((x) => x.target === t && x.version === v);
      if (!m) return '<td></td>';
      const names = m.caNames ? m.caNames.join('; ') || '(empty list)' : m.requestHidden ? 'not visible' : '';
      return (
        `<td class="${m.mode === 'required' ? 'v-pass' : 'v-fail'}" title="${esc(m.evidence)}" ` +
        `data-mode="${esc(m.mode)}">${esc(m.mode)}${names ? `<br><small>asks for: ${esc(names)}</small>` : ''}</td>`
      );
    };
    out.push(
      '<h2>Client-authentication mode</h2><table id="modes"><tr><th>server</th>' +
        TLS_VERSIONS.map((v) => `<th>${v}</th>`).join('') +
        '</tr>',
      ...servers.map((t) => `<tr><td>${esc(t)}</td>${TLS_VERSIONS.map((v) => cell(t, v)).join('')}</tr>`),
      '</table>',
    );
  }
  const strict = strictLinesOf(report);
  if (strict.length) {
    out.push(
      `<details id="strict-findings"><summary><b>Strict findings</b>: ${strict.length} properties</summary>` +
        '<table id="strict">' +
        '<tr><th>property</th><th>cells</th><th>targets</th><th>evidence</th></tr>',
      ...strict.map(
        (x) =>
          `<tr><td><code>${esc(x.id)}</code></td><td>${x.cells.length}</td><td>${esc(x.targets.join(', '))}</td>` +
          `<td class="wrap">${esc(x.reason)}</td></tr>`,
      ),
      '</table></details>',
    );
  }
  const sessions = report.sessions ?? [];
  if (sessions.length) {
    out.push(
      `<details id="sessions-table"><summary><b>Sessions</b>: ${sessions.length} rows</summary>` +
        '<table id="sessions"><tr><th>target</th><th>role</th><th>version</th><th>resumes</th>' +
        '<th>how</th><th>evidence</th></tr>',
      ...sessions.map(
        (x) =>
          `<tr><td>${esc(x.target)}</td><td>${esc(x.role)}</td><td>${esc(x.version)}</td><td>${esc(x.resumes)}</td>` +
          `<td>${esc(x.how ?? '')}</td><td class="wrap">${esc(x.evidence.slice(0, 300))}</td></tr>`,
      ),
      '</table></details>',
    );
  }
  return `<section id="overview">${out.join('\n')}</section>`;
}

/** The data the page needs, trimmed of what no one reads in a browser (the catalogue's sources stay). */
function pageData(report: ConformanceReport) {
  const snapshotLines = report.snapshot
    ? [
        ...report.snapshot.regressions.map((l) => ['regression', l]),
        ...report.snapshot.improvements.map((l) => ['improvement', l]),
        ...report.snapshot.changed.map((l) => ['changed', l]),
      ]
    : [];
  return {
    summary: countsLine(report.summary),
    generatedAt: report.generatedAt,
    seeds: report.seeds,
    rootCauses: report.rootCauses,
    targets: report.targets,
    versions: TLS_VERSIONS,
    properties: report.catalogue.map((p) => ({
      id: p.id,
      area: p.area,
      level: p.level,
      role: p.role,
      statement: p.statement,
      source: p.source,
    })),
    cells: report.results.map((r) => ({
      id: r.id,
      target: r.target,
      key: r.key,
      version: r.version,
      verdict: r.verdict,
      reason: r.reason ?? '',
      notes: r.notes ?? [],
      seed: r.seed,
      probes: r.probes.map((p) => ({
        label: p.label,
        kind: p.kind,
        verdict: p.verdict,
        reason: p.reason,
        negotiated: p.evidence.negotiated,
        sni: p.evidence.sni,
        httpHost: p.evidence.httpHost,
        name: p.evidence.name,
        pinned: p.evidence.version,
        server: {
          error: p.evidence.server.error,
          authorizationError: p.evidence.server.authorizationError,
          delivered: p.evidence.server.delivered,
          exit: p.evidence.server.exit,
        },
        client: {
          error: p.evidence.client.error,
          authorizationError: p.evidence.client.authorizationError,
          received: p.evidence.client.received,
          exit: p.evidence.client.exit,
        },
        wire: p.evidence.wire.records,
        timeline: p.evidence.timeline,
      })),
    })),
    snapshot: report.snapshot ? { file: report.snapshot.file, lines: snapshotLines } : undefined,
  };
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2125; }
header { padding: 12px 16px; background: #f4f5f7; border-bottom: 1px solid #d0d4d9; }
#overview { padding: 4px 16px 12px; border-bottom: 1px solid #d0d4d9; }
#overview h2 { font-size: 15px; margin: 12px 0 4px; }
#overview td.wrap { white-space: normal; max-width: 640px; }
#fix-first > li { margin: 6px 0; } #fix-first ul { margin: 2px 0; } .fix { margin-top: 2px; }
#gate { font-size: 15px; margin: 8px 0; }
#overview details { margin: 8px 0; }
h1 { font-size: 18px; margin: 0 0 4px; }
#summary { font-weight: 600; }
.filters { margin-top: 8px; display: flex; gap: 12px; flex-wrap: wrap; }
.filters label { font-size: 12px; color: #444; }
/* The matrix scrolls in its own box, headers and property column sticky; the evidence opens below it,
   in a drawer that leaves every column in view (the page gains room for it). */
#matrix-wrap { overflow: auto; max-height: calc(100vh - 24px); padding: 0 16px 8px; }
body.open main { padding-bottom: 42vh; }
body.open #matrix-wrap { max-height: calc(58vh - 8px); }
#evidence { display: none; }
body.open #evidence { display: block; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #d0d4d9; padding: 3px 6px; white-space: nowrap; }
#matrix tr:first-child th { background: #fafbfc; position: sticky; top: 0; z-index: 1; }
#matrix tr:first-child th:first-child { left: 0; z-index: 2; }
tr.area th { text-align: left; background: #e9ecef; }
td.prop { font-family: ui-monospace, monospace; position: sticky; left: 0; background: #fff; z-index: 1;
  box-shadow: -16px 0 0 #fff; }
td.cell { cursor: pointer; text-align: center; min-width: 64px; }
td.cell:hover { outline: 2px solid #0b5cad; }
td.selected { outline: 3px solid #0b5cad; }
.v-pass { background: #d8f3dc; } .v-fail { background: #f8b4b4; font-weight: 700; }
.v-control-failed { background: #fcd9a8; font-weight: 700; } .v-inconclusive { background: #f3c6e9; font-weight: 700; }
.v-warning { background: #fff3bf; } .v-waived { background: #e7e7ff; } .v-n-a { background: #f1f3f5; color: #888; }
.v-not-run { background: #ced4da; font-weight: 700; } .v-none { background: #fff; }
.dim { opacity: 0.15; }
#evidence {
  position: fixed; left: 0; right: 0; bottom: 0; height: 40vh; overflow: auto; padding: 8px 16px;
  background: #fff; border-top: 2px solid #0b5cad; box-shadow: 0 -2px 8px rgba(0, 0, 0, 0.15); z-index: 3;
}
#evidence h2 { font-size: 15px; margin: 4px 0; }
.probe { border: 1px solid #d0d4d9; border-radius: 4px; padding: 6px 8px; margin: 6px 0; }
.probe .timeline { font-family: ui-monospace, monospace; font-size: 11px; color: #555; white-space: pre-wrap; }
.kv { font-family: ui-monospace, monospace; font-size: 12px; }
.changed { background: #fff8e1; padding: 4px 6px; }
`;

const SCRIPT = `
const data = JSON.parse(document.getElementById('mtls-data').textContent);
const $ = (s) => document.querySelector(s);
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ENTITIES[c]);
const cls = (v) => 'v-' + (v || 'none').replace(/[^a-z]+/g, '-');
const cells = new Map(data.cells.map((c) => [c.id + '|' + c.target + '|' + c.version, c]));
const columns = data.targets.flatMap((t) => data.versions.map((v) => ({ t, v })));
$('#summary').textContent = data.summary + (data.seeds.length ? ' (PKI seed ' + data.seeds.join(', ') + ')' : '');
$('#meta').textContent = 'generated ' + data.generatedAt + (data.snapshot
  ? '; snapshot ' + data.snapshot.file + ': '
    + data.snapshot.lines.filter((l) => l[0] === 'regression').length + ' regressions'
  : '');
if (data.rootCauses.length) {
  $('#roots').innerHTML = '<b>Root causes:</b> ' + data.rootCauses.map((c) => esc(c.split('\\n')[0])).join('<br>');
}
const fill = (sel, values) => {
  for (const v of values) sel.insertAdjacentHTML('beforeend', '<option>' + esc(v) + '</option>');
};
fill($('#f-area'), [...new Set(data.properties.map((p) => p.area))]);
fill($('#f-level'), ['baseline', 'strict']);
fill($('#f-verdict'), ${JSON.stringify(VERDICTS)});
fill($('#f-target'), data.targets);
function render() {
  const area = $('#f-area').value, level = $('#f-level').value;
  const verdict = $('#f-verdict').value, target = $('#f-target').value;
  const cols = columns.filter((c) => !target || c.t === target);
  let html = '<tr><th>property</th><th>level</th>'
    + cols.map((c) => '<th>' + esc(c.t) + '<br>' + esc(c.v) + '</th>').join('') + '</tr>';
  let current = '';
  for (const p of data.properties) {
    if ((area && p.area !== area) || (level && p.level !== level)) continue;
    const row = cols.map((c) => cells.get(p.id + '|' + c.t + '|' + c.v));
    if (verdict && !row.some((c) => c && c.verdict === verdict)) continue;
    if (p.area !== current) { current = p.area; html += '<tr class="area"><th ' +
      'colspan="' + (cols.length + 2) + '">' + esc(p.area) + '</th></tr>'; }
    html += '<tr><td class="prop" title="' + esc(p.statement) + '">' + esc(p.id) + '</td><td>' + p.level + '</td>'
      + row.map((c, i) => {
      const key = p.id + '|' + cols[i].t + '|' + cols[i].v;
      const dim = verdict && c && c.verdict !== verdict ? ' dim' : '';
      return '<td class="cell ' + cls(c && c.verdict) + dim + '" data-key="' + esc(key)
        + '" data-verdict="' + esc(c ? c.verdict : '') + '">' + esc(c ? c.verdict : '') + '</td>';
    }).join('') + '</tr>';
  }
  $('#matrix').innerHTML = html;
}
function show(key) {
  const c = cells.get(key);
  document.body.classList.add('open');
  document.querySelectorAll('td.selected').forEach((td) => td.classList.remove('selected'));
  const td = document.querySelector('td[data-key="' + CSS.escape(key) + '"]');
  if (td) td.classList.add('selected');
  if (!c) { $('#evidence').innerHTML = '<p>This cell did not run.</p>'; return; }
  const p = data.properties.find((x) => x.id === c.id);
  const at = c.target.replace(/\\/[^/]+$/, '') + ' ' + c.key + ' ' + c.version + ' ' + c.id + ':';
  const changes = data.snapshot ? data.snapshot.lines.filter((l) => l[1].startsWith(at)) : [];
  let html = '<h2>' + esc(c.id) + ' <span class="' + cls(c.verdict) + '">' + esc(c.verdict) + '</span></h2>';
  html += '<p>' + esc(p.statement) + '<br><small>' + esc(p.level) + ' · ' + esc(p.role) + ' · ' + esc(p.source)
    + ' · ' + esc(c.target) + ' ' + esc(c.version) + '</small></p>';
  if (c.reason) html += '<p id="reason"><b>' + esc(c.verdict) + ':</b> ' + esc(c.reason) + '</p>';
  for (const n of c.notes) html += '<p><i>note:</i> ' + esc(n) + '</p>';
  for (const ch of changes) html += '<p class="changed"><b>snapshot ' + esc(ch[0]) + ':</b> ' + esc(ch[1]) + '</p>';
  for (const pr of c.probes) {
    const n = pr.negotiated || {};
    const tone = pr.verdict === 'accepted' ? 'pass' : pr.verdict === 'rejected' ? 'n/a' : 'inconclusive';
    html += '<div class="probe"><b>' + esc(pr.label) + '</b>: '
      + '<span class="' + cls(tone) + '">' + esc(pr.verdict) + '</span><br>'
      + esc(pr.reason)
      + '<div class="kv">pinned ' + esc(pr.pinned) + (pr.sni ? ' · SNI ' + esc(pr.sni) : '')
      + (pr.httpHost ? ' · Host ' + esc(pr.httpHost) : '')
      + (n.version ? ' · negotiated ' + esc(n.version) + ' ' + esc(n.cipher || '') : '')
      + (n.version && n.group ? ' ' + esc(n.group) : '')
      + (n.alert && n.alert.s2c ? ' · alert from server ' + esc(n.alert.s2c) : '')
      + (n.alert && n.alert.c2s ? ' · alert from client ' + esc(n.alert.c2s) : '')
      + (pr.server.authorizationError ? ' · server authorizationError ' + esc(pr.server.authorizationError) : '')
      + (pr.server.error ? ' · server ' + esc(pr.server.error) : '')
      + (pr.client.error ? ' · client ' + esc(pr.client.error) : '')
      + ' · app bytes c2s ' + pr.server.delivered + ', s2c ' + pr.client.received
      + '<br>wire: ' + esc(pr.wire) + '</div>'
      + '<div class="timeline">' + esc(pr.timeline.join('\\n')) + '</div></div>';
  }
  $('#evidence').innerHTML = html;
  $('#matrix-wrap').scrollIntoView({ block: 'start' });
  if (td) td.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') document.body.classList.remove('open'); });
$('#matrix').addEventListener('click', (e) => {
  const td = e.target.closest('td.cell');
  if (td) show(td.dataset.key);
});
for (const id of ['#f-area', '#f-level', '#f-verdict', '#f-target']) $(id).addEventListener('change', render);
render();
`;

export function renderHtml(report: ConformanceReport, exitCode?: number): string {
  // </script> inside the data would end the script element early.
  const json = JSON.stringify(pageData(report)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mtls-conformance report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<header><h1>mtls-conformance</h1><div id="summary"></div><div id="meta"></div><div id="roots"></div>
<div class="filters">
<label>area <select id="f-area"><option value="">all</option></select></label>
<label>level <select id="f-level"><option value="">all</option></select></label>
<label>verdict <select id="f-verdict"><option value="">all</option></select></label>
<label>target <select id="f-target"><option value="">all</option></select></label>
</div></header>
${overview(report, exitCode)}
<main><div id="matrix-wrap"><table id="matrix"></table></div>
<aside id="evidence"><p>Click a cell to see its evidence.</p></aside></main>
<script type="application/json" id="mtls-data">${json}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
