/**
 * A reason is a sentence about the target, never an assertion library's text. The self-test runs
 * are scanned as they end (tests/run-suite.ts); this scans the default and interop runs of
 * `npm test` (reports/, reports/interop/), running the default one itself when absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';
import type { ConformanceReport } from '../harness/report/types.js';
import { ASSERTION_TEXT, assertionTextIn, runSuite } from './run-suite.js';

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;

describe('reasons in plain words', () => {
  it("the scan finds an assertion library's text, and passes a plain sentence", () => {
    expect(ASSERTION_TEXT.test('cipher X is an AEAD: expected false to be true // Object.is equality')).toBe(true);
    expect(
      ASSERTION_TEXT.test('the connection negotiated TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, which is not an AEAD cipher'),
    ).toBe(false);
  });

  const runs = [
    ['default', 'reports', {}],
    ['interop', 'reports/interop', { MTLS_CONFIG: path.join(REPO_ROOT, 'interop/mtls.interop.ts') }],
  ] as const;
  for (const [name, dir, env] of runs) {
    it(`every reason of the ${name} run`, async () => {
      const file = path.join(REPO_ROOT, dir, 'conformance.json');
      // A report npm test left is scanned here; without one (the harness tests run alone), the run
      // is made, and runSuite scans it as it ends (throwing on a finding).
      const report = existsSync(file) ? read(file) : (await runSuite(env, [], 600_000)).report;
      if (!report) throw new Error(`the ${name} run wrote no report`);
      expect(report.results.length).toBeGreaterThan(0);
      expect(assertionTextIn(report)).toEqual([]);
    }, 620_000);
  }
});
