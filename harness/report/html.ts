/**
 * reports/conformance.html: one self-contained file (no network) that shows the matrix at a
 * glance: properties grouped by area, with their level, against target x TLS version, each cell
 * coloured by its verdict; a one-line summary on top; filters (area, level, verdict, target); a
 * cell opens its evidence (each probe: label, verdict, reason, negotiated parameters, alerts,
 * timeline) and, with a snapshot, what changed in it.
 */
import { TLS_VERSIONS } from '../tls.js';
import { countsLine, VERDICTS } from '../verdicts.js';
import type { ConformanceReport } from './types.js';

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
header {
  padding: 12px 16px; background: #f4f5f7; border-bottom: 1px solid #d0d4d9; position: sticky; top: 0; z-index: 2;
}
h1 { font-size: 18px; margin: 0 0 4px; }
#summary { font-weight: 600; }
.filters { margin-top: 8px; display: flex; gap: 12px; flex-wrap: wrap; }
.filters label { font-size: 12px; color: #444; }
main { display: flex; align-items: flex-start; }
#matrix-wrap { flex: 1; overflow: auto; padding: 8px 16px; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #d0d4d9; padding: 3px 6px; white-space: nowrap; }
th { background: #fafbfc; position: sticky; top: 0; }
tr.area th { text-align: left; background: #e9ecef; }
td.prop { font-family: ui-monospace, monospace; }
td.cell { cursor: pointer; text-align: center; min-width: 64px; }
td.cell:hover { outline: 2px solid #0b5cad; }
td.selected { outline: 3px solid #0b5cad; }
.v-pass { background: #d8f3dc; } .v-fail { background: #f8b4b4; font-weight: 700; }
.v-control-failed { background: #fcd9a8; font-weight: 700; } .v-inconclusive { background: #f3c6e9; font-weight: 700; }
.v-warning { background: #fff3bf; } .v-waived { background: #e7e7ff; } .v-n-a { background: #f1f3f5; color: #888; }
.v-not-run { background: #ced4da; font-weight: 700; } .v-none { background: #fff; }
.dim { opacity: 0.15; }
#evidence {
  width: 44%; max-width: 720px; padding: 8px 16px; border-left: 1px solid #d0d4d9;
  position: sticky; top: 96px; max-height: calc(100vh - 110px); overflow: auto;
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
}
$('#matrix').addEventListener('click', (e) => {
  const td = e.target.closest('td.cell');
  if (td) show(td.dataset.key);
});
for (const id of ['#f-area', '#f-level', '#f-verdict', '#f-target']) $(id).addEventListener('change', render);
render();
`;

export function renderHtml(report: ConformanceReport): string {
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
<main><div id="matrix-wrap"><table id="matrix"></table></div>
<aside id="evidence"><p>Click a cell to see its evidence.</p></aside></main>
<script type="application/json" id="mtls-data">${json}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
