/**
 * CI integration: the conformance reports are written whatever reporters the command line names;
 * under GitHub Actions each failed check and strict finding is an annotation and the summary
 * goes to $GITHUB_STEP_SUMMARY; test tags select checks by area, level and role.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSuite, type SuiteRun } from './run-suite.js';
import type { ConformanceReport } from '../harness/report/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-ci-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const demo = path.join(import.meta.dirname, 'selftest/snapshot.config.ts');

// One default run serves the reporter check and, as the single run to compare with, the shards.
let dotRun: Promise<SuiteRun> | undefined;
const defaultRun = () => (dotRun ??= runSuite({}, ['--reporter=dot']));

describe('CI integration', () => {
  it('--reporter=dot: the conformance reports are still written', async () => {
    const run = await defaultRun();
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
    // It opens with the gate's verdict and what to fix first.
    expect(text).toMatch(/^## mtls-conformance\n\n\*\*FAIL\*\*: \d+ failing cells\n\n\d+ pass, \d+ fail/);
    expect(text).toMatch(/### Fix first\n\n1\. \*\*server 'service'\*\*: a client without a certificate is let in/);
    expect(text).toMatch(/\| service \| TLSv1\.3 \|/);
    expect(text).toMatch(/### Failed checks\n\n- \*\*fail\*\* `/);
  }, 120_000);

  it('--tags-filter selects checks by level, area and role', async () => {
    const strict = await runSuite({}, ['--tags-filter', 'strict']);
    expect(strict.report!.results.length).toBeGreaterThan(5);
    expect(strict.report!.results.every((r) => r.level === 'strict')).toBe(true);
    const cauth = await runSuite({}, ['--tags-filter', 'client-authentication and server']);
    // Ten properties of the area, on both versions (cauth.accept-good … the two post-handshake ones).
    expect(cauth.report!.results.length).toBe(20);
    expect(cauth.report!.results.every((r) => r.area === 'client-authentication')).toBe(true);
  }, 120_000);
});

/**
 * More than one machine: two shards (`--shard=i/2`, the blob reporter) merged on one
 * (`--merge-reports`) give one conformance report with every cell, as a single run does, and list
 * each shard's PKI seed.
 */
const cells = (r: ConformanceReport) => r.results.map((x) => `${x.target} ${x.version} ${x.id} ${x.verdict}`).sort();

describe('shards merged into one report', () => {
  it('two shards and their merge hold every cell of a single run, with both seeds', async () => {
    const blobs = path.join(dir, 'blobs');
    // The two machines of a CI matrix, side by side.
    const shards = await Promise.all(
      [1, 2].map((i) =>
        runSuite({}, [`--shard=${i}/2`, '--reporter=blob', `--outputFile=${path.join(blobs, `blob-${i}.json`)}`]),
      ),
    );
    for (const shard of shards) {
      expect(shard.code, shard.output.slice(-1500)).toBe(0);
      // Each shard still writes its own conformance report (whatever the reporter), of its own cells.
      expect(shard.report!.results.length).toBeGreaterThan(20);
    }
    const merged = await runSuite({}, [`--merge-reports=${blobs}`]);
    expect(merged.code, merged.output.slice(-1500)).toBe(0);
    const single = await defaultRun();
    expect(cells(merged.report!)).toEqual(cells(single.report!));
    expect(merged.report!.seeds).toEqual(shards.map((s) => s.report!.seed!).sort((a, b) => a - b));
    expect(merged.junit!.match(/<testcase /g)).toHaveLength(single.report!.results.length);
  }, 300_000);
});
