/**
 * More than one machine: two shards (`--shard=i/2`, the blob reporter) merged on one
 * (`--merge-reports`) give one conformance report with every cell, as a single run does, and list
 * each shard's PKI seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../harness/report/types.js';
import { runSuite } from './run-suite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-shards-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cells = (r: ConformanceReport) => r.results.map((x) => `${x.target} ${x.version} ${x.id} ${x.verdict}`).sort();

describe('shards merged into one report', () => {
  it('two shards and their merge hold every cell of a single run, with both seeds', async () => {
    const blobs = path.join(dir, 'blobs');
    const shards = [];
    for (const i of [1, 2]) {
      const shard = await runSuite({}, [
        `--shard=${i}/2`,
        '--reporter=blob',
        `--outputFile=${path.join(blobs, `blob-${i}.json`)}`,
      ]);
      expect(shard.code, shard.output.slice(-1500)).toBe(0);
      // Each shard still writes its own conformance report (whatever the reporter), of its own cells.
      expect(shard.report!.results.length).toBeGreaterThan(20);
      shards.push(shard);
    }
    const merged = await runSuite({}, [`--merge-reports=${blobs}`]);
    expect(merged.code, merged.output.slice(-1500)).toBe(0);
    const single = await runSuite({});
    expect(cells(merged.report!)).toEqual(cells(single.report!));
    expect(merged.report!.seeds).toEqual(shards.map((s) => s.report!.seed!).sort((a, b) => a - b));
    expect(merged.junit!.match(/<testcase /g)).toHaveLength(single.report!.results.length);
  }, 300_000);
});
