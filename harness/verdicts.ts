/**
 * The one vocabulary of the suite: what a cell (property x target x key type x TLS version) can
 * come to, and which of those fail a run. Console, conformance.json, conformance.md and JUnit all
 * count with these words.
 *
 * pass            the property was shown to hold.
 * fail            the target does not hold it (an adversarial probe was accepted, or the property's
 *                 own assertion failed).
 * control failed  the adversarial probe was rejected but so was its control (the twin with the one
 *                 property put right): the property could not be shown, and it is not said to fail.
 * inconclusive    no probe gave clear evidence before its deadline.
 * warning         a strict property the target does not hold, outside MTLS_PROFILE=strict.
 * waived          a reason the user wrote in the target's `waive`.
 * n/a             a reason the harness gives: the role is absent, the version or key type does not
 *                 apply, the program cannot take part, the target refuses that TLS version.
 * not run         the good exchange of that role and version failed first (the root cause is
 *                 printed once, before the checks).
 */
export const VERDICTS = [
  'pass',
  'fail',
  'control failed',
  'inconclusive',
  'warning',
  'waived',
  'n/a',
  'not run',
] as const;
export type CellVerdict = (typeof VERDICTS)[number];

/** Verdicts that fail a run (a warning too, with MTLS_PROFILE=strict: it is then reported as fail). */
export const FAILING: readonly CellVerdict[] = ['fail', 'control failed', 'inconclusive', 'not run'];

/** Verdicts of checks that were not carried out; the reason says why. */
export const SKIPPED: readonly CellVerdict[] = ['waived', 'n/a', 'not run'];

export type VerdictCounts = Record<CellVerdict, number>;
export const noCounts = (): VerdictCounts => Object.fromEntries(VERDICTS.map((v) => [v, 0])) as VerdictCounts;

/** The closing line every report prints: each verdict with its count, failing ones first. */
export function countsLine(c: VerdictCounts): string {
  return VERDICTS.filter((v) => v === 'pass' || v === 'fail' || c[v] > 0)
    .map((v) => `${c[v]} ${v}`)
    .join(', ');
}

/** Kinds of probe within a check: a control, the adversarial probe it gives meaning to, or a plain exchange. */
export type ProbeKind = 'control' | 'adversarial' | 'exchange';
