/**
 * What to fix, from a report: the failing cells (and the regressions against the snapshot)
 * grouped by target and root cause, in plain words, each group with the remedy of its lead
 * property; and the strict findings, one line per property. The console, the summary markdown,
 * the HTML report and the GitHub summary all read these, so they say the same thing.
 */
import { property, type Area, type Role } from '../catalogue.js';
import { remedyLines, STACK_NAMES, type Remedy, type Stack } from '../remedies.js';
import { FAILING, type CellVerdict } from '../verdicts.js';
import { cellKey, targetOf } from './snapshot.js';
import type { ConformanceReport, ResultRow } from './types.js';

export interface FindingProperty {
  id: string;
  /** Its cells in this finding, each "<key type> <version>" or the version alone with one key type. */
  cells: ResultRow[];
  /** The first cell's reason: the evidence, in a line. */
  reason: string;
}

export interface Finding {
  /** The target, without its key type. */
  target: string;
  role: Role;
  /** What is wrong, in plain words. */
  cause: string;
  /** The remedy of its lead property. */
  lead: string;
  remedy: Remedy;
  properties: FindingProperty[];
  /** A cell of it got worse against the snapshot: it fails the gate. */
  regressed: boolean;
  /**
   * Nothing in it was shown to fail: checks whose control failed or whose evidence was unclear.
   * The setup is to fix, not the property.
   */
  unshown: boolean;
  cellCount: number;
}

/** The cause of a failing cell, by its property: a few are named, the rest by area and role. */
const CAUSES: Partial<Record<`${Area}/${Role}`, string>> = {
  'confidentiality/server': 'the server lets data cross without the protection it must have',
  'confidentiality/client': 'the client lets data cross without the protection it must have',
  'integrity/server': 'the server does not refuse altered TLS records',
  'integrity/client': 'the client does not refuse altered TLS records',
  'server-authentication/client': "the client does not verify the server's certificate",
  'client-authentication/server': 'client certificates it must refuse are let in: they are not verified',
  'authorization/server': 'clients are let in by CA alone, not by the identity the server admits',
  'chains/server': 'client certificate chains are not validated as they must be',
  'chains/client': 'server certificate chains are not validated as they must be',
  'host-names/client': "the client does not check the server's name as it must",
  'crypto-policy/server': 'the server allows protocol versions, suites or keys it must refuse',
  'crypto-policy/client': 'the client allows protocol versions, suites or keys it must refuse',
  'revocation/server': 'the server accepts revoked client certificates, or ones it cannot check',
  'revocation/client': 'the client accepts a revoked server certificate, or one it cannot check',
  'resumption/server': 'a resumed session skips a client certificate check',
  'resumption/client': "a resumed session skips a check of the server's certificate",
  'renegotiation/server': 'the server lets a client renegotiate without limit',
};

const UNSHOWN: readonly CellVerdict[] = ['control failed', 'inconclusive'];

/** The words of a server's client-authentication mode, and what the snapshot had. */
function modeCause(report: ConformanceReport, rows: ResultRow[], regressed: boolean): string {
  const modes = (report.clientAuthModes ?? []).filter((m) => rows.some((r) => r.target === m.target));
  const names = [...new Set(modes.map((m) => m.mode))].filter((m) => m !== 'required');
  const mode = names.length ? names.join(' or ') : 'not required';
  return (
    `a client without a certificate is let in: the client-authentication mode is ${mode}` +
    (regressed ? ' (required in the snapshot)' : '')
  );
}

/** The failing cells, and those that regressed, grouped by target, role and cause; regressions first. */
export function findingsOf(report: ConformanceReport): Finding[] {
  const regressed = new Set(report.snapshot?.regressedCells ?? []);
  const rows = report.results.filter(
    (r) => (FAILING.includes(r.verdict) && r.verdict !== 'not run') || regressed.has(cellKey(r)),
  );
  // A server that lets a client without a certificate in has the root cause of every client-certificate
  // check it fails: requiring and verifying certificates is the one fix.
  const modeBroken = new Set(
    rows.filter((r) => r.id === 'cauth.reject-none' && !UNSHOWN.includes(r.verdict)).map((r) => targetOf(r)),
  );
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const unshown = UNSHOWN.includes(r.verdict);
    const mode = r.role === 'server' && modeBroken.has(targetOf(r)) && property(r.id).judgesClientCertificates;
    const cause = unshown ? 'unshown' : mode ? 'mode' : `${r.area}/${r.role}`;
    const key = `${targetOf(r)}|${r.role}|${cause}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const findings: Finding[] = [];
  for (const [key, cells] of groups) {
    const [target, role, cause] = key.split('|') as [string, Role, string];
    const ids = [...new Set(cells.map((c) => c.id))];
    // The lead, whose remedy is shown: the mode's own check, else the first refusal the target failed
    // (catalogue order), not a control that failed along with it.
    const order = (id: string) =>
      (id === 'cauth.reject-none' ? -1000 : 0) +
      (cells.some((c) => c.id === id && c.verdict === 'fail') && !/\.accept-/.test(id) ? 0 : 500) +
      report.catalogue.findIndex((p) => p.id === id);
    ids.sort((a, b) => order(a) - order(b));
    const lead = ids[0]!;
    const isRegressed = cells.some((c) => regressed.has(cellKey(c)));
    const words =
      cause === 'unshown'
        ? 'checks that could not be shown (the control failed, or the evidence was unclear): the setup, not the ' +
          'property'
        : cause === 'mode'
          ? modeCause(report, cells, isRegressed)
          : (CAUSES[cause as `${Area}/${Role}`] ?? `the ${cause.replace('/', ' checks of the ')} fail`);
    findings.push({
      target,
      role,
      cause: words,
      lead,
      remedy: property(lead).remedy,
      properties: ids.map((id) => {
        const mine = cells.filter((c) => c.id === id);
        return { id, cells: mine, reason: (mine[0]!.reason ?? '').split('\n')[0]! };
      }),
      regressed: isRegressed,
      unshown: cause === 'unshown',
      cellCount: cells.length,
    });
  }
  // What fails the gate first (regressions), then what was shown to fail, then what could not be shown.
  const rank = (f: Finding) => (f.regressed ? 0 : f.unshown ? 3 : f.lead === 'cauth.reject-none' ? 1 : 2);
  return findings.sort((a, b) => rank(a) - rank(b) || b.cellCount - a.cellCount);
}

/** "TLSv1.2, TLSv1.3" or "rsa-2048 TLSv1.2, ecdsa-p256 TLSv1.3": where a property's cells are. */
export function cellsText(cells: ResultRow[]): string {
  const keys = new Set(cells.map((c) => c.key));
  return [...new Set(cells.map((c) => (keys.size > 1 ? `${c.key} ${c.version}` : c.version)))].join(', ');
}

export interface StrictLine {
  id: string;
  cells: ResultRow[];
  targets: string[];
  reason: string;
}

/** The strict findings (warnings), one per property. */
export function strictLinesOf(report: ConformanceReport): StrictLine[] {
  const byId = new Map<string, ResultRow[]>();
  // A warning that regressed is among the things to fix, not here.
  const regressed = new Set(report.snapshot?.regressedCells ?? []);
  for (const r of report.results.filter((x) => x.verdict === 'warning' && !regressed.has(cellKey(x))))
    byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  return [...byId].map(([id, cells]) => ({
    id,
    cells,
    targets: [...new Set(cells.map(targetOf))],
    reason: (cells[0]!.reason ?? '').split('\n')[0]!,
  }));
}

/** "server 'orders'" */
export const subject = (f: Pick<Finding, 'role' | 'target'>) => `${f.role} '${f.target}'`;

/** The stack a target runs, when the report knows it (a node role; a program it recognises). */
export function stackOfProgram(kind: string, program?: string): Stack | undefined {
  if (kind === 'node') return 'node';
  const name = (program ?? '').split('/').pop() ?? '';
  if (/^python[0-9.]*$/.test(name)) return 'python';
  if (/^(openssl|nginx|haproxy|java|curl)$/.test(name)) return name as Stack;
  if (/^(apache2|httpd|apachectl)$/.test(name)) return 'apache';
  if (/^(psql|postgres)$/.test(name)) return 'postgres';
  if (/^(mariadb|mariadbd|mysql|mysqld)$/.test(name)) return 'mysql';
  return undefined;
}

/** The remedy's lines for a finding: only its stack's setting when the report knows what the target runs. */
export function remedyFor(f: Finding, report: ConformanceReport): string[] {
  const stack = report.stacks?.[f.target]?.[f.role];
  const [fix, ...all] = remedyLines(f.remedy);
  const mine = stack && f.remedy.stacks[stack] ? [`${STACK_NAMES[stack]}: ${f.remedy.stacks[stack]}`] : all;
  return [fix!, ...mine];
}

/** Why the gate fails, in a line: the regressions with a snapshot, else the failing cells. */
export function gateReason(report: ConformanceReport): string {
  const s = report.snapshot;
  return s
    ? `${s.regressions.length} regressions and ${s.failingAdded.length} new failing cells against the snapshot`
    : `${report.results.filter((r) => FAILING.includes(r.verdict)).length} failing cells`;
}
