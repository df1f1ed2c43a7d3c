/**
 * GitHub annotations with a snapshot: a regression is an error and a known failure a notice, for
 * targets whose project names hold ':' (a server name) or '/' (a key type) too.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import type { ConformanceReport, ResultRow } from '../harness/report/types.js';
import { githubAnnotations } from '../harness/report/github.js';
import { compare, takeSnapshot } from '../harness/report/snapshot.js';
import { noCounts, type CellVerdict } from '../harness/verdicts.js';

const row = (target: string, id: string, verdict: CellVerdict): ResultRow => ({
  id,
  target,
  key: 'rsa-2048',
  version: 'TLSv1.3',
  verdict,
  reason: `${verdict} here`,
  level: 'baseline',
  role: 'server',
  area: 'client-authentication',
  statement: CATALOGUE.find((p) => p.id === id)!.statement,
  probes: [],
});

describe('GitHub annotations against a snapshot', () => {
  it('names regressions as errors and known failures as notices, whatever the target name holds', () => {
    const target = 'nginx-vhosts:mtls.internal/rsa-2048';
    const before = takeSnapshot(
      [row(target, 'cauth.reject-none', 'pass'), row(target, 'cauth.reject-expired', 'fail')],
      [],
    );
    const now = [row(target, 'cauth.reject-none', 'fail'), row(target, 'cauth.reject-expired', 'fail')];
    const comparison = compare(before, now, () => 'baseline', false);
    expect(comparison.regressedCells).toEqual(['nginx-vhosts:mtls.internal|rsa-2048|TLSv1.3|cauth.reject-none']);
    const report: ConformanceReport = {
      generatedAt: '',
      seeds: [],
      targets: [target],
      summary: noCounts(),
      rootCauses: [],
      results: now,
      catalogue: CATALOGUE,
      snapshot: { file: 'mtls.snapshot.json', filtered: false, ...comparison },
    };
    const lines = githubAnnotations(report).trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^::error title=cauth\.reject-none \[nginx-vhosts%3Amtls\.internal\/rsa-2048 TLSv1\.3\]::fail: /,
      ),
      expect.stringMatching(
        new RegExp(
          String.raw`^::notice title=cauth\.reject-expired \[nginx-vhosts%3Amtls\.internal\/rsa-2048 ` +
            String.raw`TLSv1\.3\]::fail \(known: in the snapshot\): `,
        ),
      ),
    ]);
  });
});
