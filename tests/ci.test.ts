/**
 * CI integration: the conformance reports are written whatever reporters the command line names;
 * under GitHub Actions each failed check and strict finding is an annotation and the summary
 * goes to $GITHUB_STEP_SUMMARY; test tags select checks by area, level and role.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSuite } from './run-suite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-ci-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const demo = path.join(import.meta.dirname, 'selftest/snapshot.config.ts');

describe('CI integration', () => {
  it('--reporter=dot: the conformance reports are still written', async () => {
    const run = await runSuite({}, ['--reporter=dot']);
    expect(run.code, run.output.slice(-1500)).toBe(0);
    expect(run.report!.results.length).toBeGreaterThan(100);
    expect(run.junit).toMatch(/<testsuites name="mtls-conformance"/);
  }, 120_000);

  it('GITHUB_ACTIONS=true: an annotation per failed check and strict finding, and the step summary', async () => {
    const summary = path.join(dir, 'step-summary.md');
    const run = await runSuite({
      MTLS_CONFIG: demo,
      MTLS_SNAPSHOT: path.join(dir, 'none.json'),
      SNAPSHOT_DEMO_OPTIONAL: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(run.code).toBe(1);
    const errors = run.output.match(/^::error title=.*$/gm) ?? [];
    expect(errors.length).toBe(run.report!.summary.fail);
    expect(run.output).toMatch(
      new RegExp(
        String.raw`^::error title=cauth\.reject-none \[service TLSv1\.3\]::fail: The server rejects a client that` +
          String.raw` presents no certificate`,
        'm',
      ),
    );
    expect((run.output.match(/^::warning title=.*$/gm) ?? []).length).toBe(run.report!.summary.warning);
    const text = readFileSync(summary, 'utf8');
    expect(text).toMatch(/^## mtls-conformance\n\n\d+ pass, \d+ fail/);
    expect(text).toMatch(/\| service \| TLSv1\.3 \|/);
    expect(text).toMatch(/### Failed checks\n\n- \*\*fail\*\* `/);
  }, 120_000);

  it('--tags-filter selects checks by level, area and role', async () => {
    const strict = await runSuite({}, ['--tags-filter', 'strict']);
    expect(strict.report!.results.length).toBeGreaterThan(5);
    expect(strict.report!.results.every((r) => r.level === 'strict')).toBe(true);
    const cauth = await runSuite({}, ['--tags-filter', 'client-authentication and server']);
    expect(cauth.report!.results.length).toBe(16);
    expect(cauth.report!.results.every((r) => r.area === 'client-authentication')).toBe(true);
  }, 120_000);
});
