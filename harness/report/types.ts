/**
 * The shapes the reports share: a result row per cell, the report the reporter writes, and what
 * its tables and the snapshot comparison add to it. Every module of harness/report reads these;
 * none of them is imported back from a module that uses it.
 */
import type { Property } from '../catalogue.js';
import type { Stack } from '../remedies.js';
import type { ProbeRecord } from '../spec/records.js';
import type { CellVerdict, VerdictCounts } from '../verdicts.js';

export interface ResultRow {
  id: string;
  /** The vitest project: the target, with its key type when the run has more than one. */
  target: string;
  key: string;
  version: string;
  verdict: CellVerdict;
  /**
   * Why: the finding, the failed control (with its hint), the waiver, the n/a or not-run reason, the failed assertion.
   */
  reason?: string;
  /** Evidence that decided nothing (what a program does not show). */
  notes?: string[];
  level: Property['level'];
  role: Property['role'];
  area: Property['area'];
  statement: string;
  /** The PKI seed the check ran under. */
  seed?: number;
  probes: ProbeRecord[];
}

export interface ConformanceReport {
  generatedAt: string;
  /** The run's PKI seed; `seeds` lists every seed the cells ran under (one per shard when merged). */
  seed?: number;
  seeds: number[];
  targets: string[];
  summary: VerdictCounts;
  /** Good exchanges that failed, each the root cause of a role and version's `not run` checks. */
  rootCauses: string[];
  results: ResultRow[];
  catalogue: readonly Property[];
  /** Each server's client-authentication mode per TLS version, judged by its behaviour (modes.ts). */
  clientAuthModes?: ClientAuthMode[];
  /** Per target, role and version: does it resume sessions, and how (from the resumption checks' controls). */
  sessions?: SessionSupport[];
  /** What each target's roles run, where known (a node role; a program such as nginx): its remedies show that stack. */
  stacks?: Record<string, Partial<Record<Property['role'], Stack>>>;
  /** The comparison with the committed snapshot, when there is one (and the run did not write it). */
  snapshot?: { file: string; filtered: boolean } & Comparison;
}

/** A server's client-authentication mode, judged by what it did. */
export type ClientAuthModeName = 'required' | 'optional' | 'none' | 'optional or none' | 'unknown';

export interface ClientAuthMode {
  target: string;
  version: string;
  mode: ClientAuthModeName;
  evidence: string;
  caNames?: string[];
  /**
   * TLS 1.3: the server's encrypted flight could not be read, so its CertificateRequest (and CA names) is not known.
   */
  requestHidden?: true;
  /** The size of the OCSP response the server stapled for the reference client (which asks for one); absent: none. */
  ocspStapled?: number;
  /** TLS 1.2: its ServerHello indicated secure renegotiation (RFC 5746). */
  secureRenegotiation?: boolean;
}

export interface SessionSupport {
  target: string;
  version: string;
  role: 'server' | 'client';
  resumes: 'yes' | 'no' | 'unknown';
  /**
   * How: 'TLS 1.3 PSK (ticket)', 'session ticket', 'session id'; for a client that does not resume, whether it offered.
   */
  how?: string;
  evidence: string;
}

export interface Comparison {
  regressions: string[];
  /** The cell keys (`cellKey`) of the regressions, for whoever marks cells (annotations, the HTML page). */
  regressedCells: string[];
  /** New cells (the suite gained a property or a target): failing ones at baseline level fail the gate. */
  added: string[];
  failingAdded: string[];
  improvements: string[];
  /** The verdict held, the stable evidence changed: what a reviewer wants to see of a config edit. */
  changed: string[];
  /** Cells that ran before and do not now (counted as regressions only in an unfiltered run). */
  missing: string[];
  /** Known failures: failing before and now, shown every run. */
  known: string[];
}
