/**
 * The conformance snapshot: the stable part of a run (verdicts and negotiated parameters per
 * cell; no names, serials or timings), committed by a user and compared cell by cell on every
 * run, so a TLS configuration change that makes any cell worse fails the gate, named. ("Baseline"
 * is a property's level; this file is a snapshot, in vitest's own idiom: `vitest run -u` writes it.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Property } from '../catalogue.js';
import { FAILING, type CellVerdict } from '../verdicts.js';
import type { Comparison, ResultRow } from './types.js';

export const SNAPSHOT_FORMAT = 1;

/** What a cell shows that does not change from run to run of an unchanged configuration. */
export interface SnapshotCell {
  verdict: CellVerdict;
  /** The property's level when the snapshot was taken (absent in snapshots older than the level audit). */
  level?: Property['level'];
  /** The negotiated version, cipher and group of the deciding probe, as the wire showed them. */
  evidence?: string;
}

export interface Snapshot {
  format: number;
  /**
   * What it was taken with (each program with the first line its version option printed); a difference is reported,
   * never failed.
   */
  seen: { node: string; openssl: string; programs: string[] };
  /** `<target>|<key type>|<TLS version>|<property id>`, sorted. */
  cells: Record<string, SnapshotCell>;
}

/** The snapshot file: MTLS_SNAPSHOT, or mtls.snapshot.json beside the config file. */
export function snapshotPath(configFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.MTLS_SNAPSHOT
    ? path.resolve(env.MTLS_SNAPSHOT)
    : path.join(path.dirname(configFile), 'mtls.snapshot.json');
}

/** The project name without its key type: the target, and its server name when it has several. */
export const targetOf = (row: ResultRow): string =>
  row.target.replace(/\/[^/]+$/, (m) => (m.slice(1) === row.key ? '' : m));
export const cellKey = (row: ResultRow) => `${targetOf(row)}|${row.key}|${row.version}|${row.id}`;

/** The deciding probe's stable evidence: the adversarial one when there is one, else the first. */
export function stableEvidence(row: ResultRow): string | undefined {
  const p = row.probes.find((x) => x.kind === 'adversarial') ?? row.probes[0];
  if (!p) return undefined;
  // Alerts are left out: whether one is on the wire before a close can race; the verdict says enough.
  const n = p.evidence.negotiated ?? {};
  return [n.version, n.cipher, n.group].filter(Boolean).join(' ') || undefined;
}

/** `program --version` (or -v, or version: openssl's), first line, best effort and bounded. */
export function programVersion(program: string): string {
  for (const args of [['--version'], ['version'], ['-v']]) {
    const r = spawnSync(program, args, { encoding: 'utf8', timeout: 3000 });
    const line = `${r.stdout ?? ''}\n${r.stderr ?? ''}`
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /\d+\.\d+/.test(l));
    if (r.status === 0 && line) return `${program}: ${line}`;
  }
  return `${program}: version unknown`;
}

export function takeSnapshot(rows: ResultRow[], programs: string[]): Snapshot {
  const cells: Record<string, SnapshotCell> = {};
  for (const row of [...rows].sort((a, b) => cellKey(a).localeCompare(cellKey(b)))) {
    const evidence = stableEvidence(row);
    cells[cellKey(row)] = { verdict: row.verdict, level: row.level, ...(evidence ? { evidence } : {}) };
  }
  return {
    format: SNAPSHOT_FORMAT,
    seen: { node: process.versions.node, openssl: process.versions.openssl, programs: [...new Set(programs)].sort() },
    cells,
  };
}

export function readSnapshot(file: string): Snapshot | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
  if (typeof parsed.format !== 'number' || !parsed.cells || typeof parsed.cells !== 'object')
    throw new Error(`${file}: not a conformance snapshot (no format or cells)`);
  if (parsed.format > SNAPSHOT_FORMAT)
    throw new Error(
      `${file}: snapshot format ${parsed.format} is newer than this suite's (${SNAPSHOT_FORMAT}); update ` +
        `mtls-conformance`,
    );
  return { format: parsed.format, seen: parsed.seen ?? { node: '', openssl: '', programs: [] }, cells: parsed.cells };
}

export function writeSnapshot(file: string, snapshot: Snapshot): void {
  writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
}

const failing = (v: CellVerdict) => FAILING.includes(v);
/** A cell got worse: pass -> warning; pass or warning -> fail, control failed, inconclusive or not run. */
export function worse(before: CellVerdict, after: CellVerdict): boolean {
  if (before === 'pass') return after === 'warning' || failing(after);
  if (before === 'warning') return failing(after);
  return false;
}
const better = (before: CellVerdict, after: CellVerdict) => worse(after, before);

/**
 * `levels`: a property's level now; `movedFrom`: its level before the catalogue's level audit, when
 * it moved (for snapshots that did not record levels).
 */
export function compare(
  snapshot: Snapshot,
  rows: ResultRow[],
  levels: (id: string) => Property['level'],
  filtered: boolean,
  movedFrom: (id: string) => Property['level'] | undefined = () => undefined,
): Comparison {
  const c: Comparison = {
    regressions: [],
    regressedCells: [],
    added: [],
    failingAdded: [],
    improvements: [],
    changed: [],
    missing: [],
    known: [],
  };
  const now = takeSnapshot(rows, []).cells;
  const line = (key: string, before: SnapshotCell | undefined, after: SnapshotCell | undefined, row?: ResultRow) => {
    const why = row?.reason ? `: ${row.reason.split('\n')[0]}` : after?.evidence ? ` (${after.evidence})` : '';
    return `${key.replaceAll('|', ' ')}: ${before?.verdict ?? '(none)'} -> ${after?.verdict ?? '(not run)'}${why}`;
  };
  const rowByKey = new Map(rows.map((r) => [cellKey(r), r]));
  for (const [key, after] of Object.entries(now)) {
    const before = snapshot.cells[key];
    const row = rowByKey.get(key)!;
    const then = before ? (before.level ?? movedFrom(row.id) ?? levels(row.id)) : undefined;
    if (!before) {
      c.added.push(line(key, undefined, after, row));
      if (failing(after.verdict) && levels(row.id) === 'baseline')
        c.failingAdded.push(line(key, undefined, after, row));
    } else if (then !== levels(row.id)) {
      // The property moved level (a finding that was a failure is now a warning, or the reverse):
      // the target did not change, the catalogue did. Shown, never counted as a regression.
      c.changed.push(
        `${key.replaceAll('|', ' ')}: ${before.verdict} -> ${after.verdict} (the property moved from ${then} to ` +
          `${levels(row.id)}; the verdict follows its new level)`,
      );
    } else if (worse(before.verdict, after.verdict)) {
      c.regressions.push(line(key, before, after, row));
      c.regressedCells.push(key);
    } else if (better(before.verdict, after.verdict)) c.improvements.push(line(key, before, after));
    else {
      if (failing(after.verdict)) c.known.push(line(key, before, after, row));
      if (before.verdict !== after.verdict || (before.evidence ?? '') !== (after.evidence ?? '')) {
        c.changed.push(
          `${key.replaceAll('|', ' ')}: ${before.verdict}${before.evidence ? ` (${before.evidence})` : ''} -> ` +
            `${after.verdict}${after.evidence ? ` (${after.evidence})` : ''}`,
        );
      }
    }
  }
  for (const [key, before] of Object.entries(snapshot.cells)) {
    if (now[key]) continue;
    const l = line(key, before, undefined);
    c.missing.push(l);
    // A cell that ran before and no longer runs, in a run that ran everything, is lost coverage.
    if (!filtered && (before.verdict === 'pass' || before.verdict === 'warning')) {
      c.regressions.push(l);
      c.regressedCells.push(key);
    }
  }
  return c;
}
