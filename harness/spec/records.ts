/**
 * What a check leaves for the reports: each probe's record and the cell's meta, attached to the
 * running test (vitest's task meta), and what the global setup provides every spec worker.
 */
import type { KeyType, Pki } from '../pki/issue.js';
import type { Outcome } from '../probe.js';
import type { TlsVersion } from '../tls.js';
import type { CellVerdict, ProbeKind } from '../verdicts.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mtlsTarget: string;
    mtlsKey: KeyType;
    mtlsConfigPath: string;
    /** The server name this project tests (a server with `names`), or ''. */
    mtlsServerName: string;
    /** This project's PKI: the run's keys, names and serials, with the target's names and admitted identities. */
    mtlsPki: Pki;
    /** Per role and version: why its checks are n/a or not run (the good exchange, once per project). */
    mtlsExchanges: GoodExchanges;
  }
  interface TaskMeta {
    mtls?: ProbeRecordMeta;
  }
}

export interface ProbeRecord {
  label: string;
  kind: ProbeKind;
  verdict: Outcome['verdict'];
  reason: string;
  evidence: Outcome['evidence'];
  /**
   * The property whose finding this probe's acceptance is (a full handshake in a resumption check): not this cell's.
   */
  ownedBy?: string;
}

export interface ProbeRecordMeta {
  id: string;
  target: string;
  key: KeyType;
  version: TlsVersion;
  probes: ProbeRecord[];
  /** The PKI seed of the run the check ran in (shards each have their own). */
  seed?: number;
  /** The cell's verdict, decided by the check's wrapper (spec/conformance.ts) and nowhere else. */
  verdict?: CellVerdict;
  /** Why: the finding, the failed control and its hint, the waiver, the n/a or not-run reason. */
  reason?: string;
  /** Evidence that decides nothing (what a program does not show, say). */
  notes: string[];
}

/**
 * Per role and version, why its checks cannot run: n/a (the version is refused) or not run (the good exchange failed).
 */
export type GoodExchanges = Partial<
  Record<'server' | 'client', Partial<Record<TlsVersion, { verdict: 'n/a' | 'not run'; reason: string }>>>
>;
