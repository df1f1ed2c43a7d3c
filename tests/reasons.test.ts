/**
 * A reason is a sentence about the target, never an assertion library's text. The self-test runs
 * are scanned as they end (tests/run-suite.ts); this scans the default and interop runs of
 * `npm test` (tests/stage-reports.ts), or makes them when the harness tests run alone.
 */
import { describe, expect, it } from 'vitest';
import { ASSERTION_TEXT, assertionTextIn } from './run-suite.js';
import { stageReport } from './stage-reports.js';

describe('reasons in plain words', () => {
  it("the scan finds an assertion library's text, and passes a plain sentence", () => {
    expect(ASSERTION_TEXT.test('cipher X is an AEAD: expected false to be true // Object.is equality')).toBe(true);
    expect(
      ASSERTION_TEXT.test('the connection negotiated TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, which is not an AEAD cipher'),
    ).toBe(false);
  });

  for (const stage of ['default', 'interop'] as const) {
    it(`every reason of the ${stage} run`, async () => {
      // The report npm test made, or (alone) the run made here, which runSuite also scans as it ends.
      const report = await stageReport(stage);
      expect(report.results.length).toBeGreaterThan(0);
      expect(assertionTextIn(report)).toEqual([]);
    }, 920_000);
  }
});
