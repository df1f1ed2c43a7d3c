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

  for (const [name, dir] of [
    ['default', 'reports'],
    ['interop', 'reports/interop'],
  ] as const) {
    it(`every reason of the ${name} run`, async () => {
      const file = path.join(REPO_ROOT, dir, 'conformance.json');
      // runSuite scans as it ends (and throws on a finding); a report npm test left is scanned here.
      const report = existsSync(file) ? read(file) : name === 'default' ? (await runSuite({})).report : undefined;
      if (!report) throw new Error(`no ${name} report at ${file}: npm test writes it before the harness tests run`);
      expect(report.results.length).toBeGreaterThan(0);
      expect(assertionTextIn(report)).toEqual([]);
    }, 300_000);
  }
});
