/**
 * The gate: a committed snapshot compared cell by cell (tests/selftest/snapshot.config.ts). Two
 * fresh runs (two seeds) of an unchanged configuration compare equal; one changed TLS option
 * fails the gate naming the cell; reverting passes it; known failures recorded in the snapshot are
 * shown and do not fail; a narrowed run compares only what it ran; each exit code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSuite } from './run-suite.js';
import { CATALOGUE } from '../harness/catalogue.js';
import { cellKey, compare, type Snapshot } from '../harness/report/snapshot.js';
import type { ResultRow } from '../harness/report/types.js';
import type { CellVerdict } from '../harness/verdicts.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-snapshot-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = path.join(import.meta.dirname, 'selftest/snapshot.config.ts');
const snapshot = path.join(dir, 'mtls.snapshot.json');
const env = (more: Record<string, string> = {}) => ({ MTLS_CONFIG: config, MTLS_SNAPSHOT: snapshot, ...more });

describe('the conformance snapshot', () => {
  it('records with -u, then two fresh runs (other seeds) compare equal; exit 0', async () => {
    const record = await runSuite(env(), ['-u']);
    expect(record.code, record.output.slice(-1500)).toBe(0);
    expect(record.output).toMatch(/snapshot written: .*mtls\.snapshot\.json \(\d+ cells\)/);
    const taken = JSON.parse(readFileSync(snapshot, 'utf8')) as Snapshot;
    expect(taken.format).toBe(1);
    expect(JSON.stringify(taken), 'no seed-dependent names in the snapshot').not.toContain(String(record.report?.seed));
    for (const _ of [1, 2]) {
      const again = await runSuite(env());
      expect(again.code, again.output.slice(-1500)).toBe(0);
      expect(again.report!.seed).not.toBe(record.report!.seed);
      const s = again.report!.snapshot!;
      expect([s.regressions, s.changed, s.improvements, s.added, s.missing]).toEqual([[], [], [], [], []]);
    }
  }, 200_000);

  it('one TLS option changed (a CBC suite added): the gate fails naming the cell; reverted, it passes', async () => {
    const changed = await runSuite({ ...env({ SNAPSHOT_DEMO_CIPHERS: 'ECDHE+AES' }), GITHUB_ACTIONS: 'true' });
    expect(changed.code).toBe(1);
    // Under GitHub Actions a pass that became a warning is an error, as every regression is.
    expect(changed.output).toMatch(
      /^::error title=crypto\.reject-cbc-suites\.server \[service TLSv1\.2\]::regression, pass -> warning: /m,
    );
    expect(changed.output).not.toMatch(/^::warning title=crypto\.reject-cbc-suites\.server \[service TLSv1\.2\]/m);
    expect(changed.report!.snapshot!.regressions).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^service rsa-2048 TLSv1\.2 crypto\.reject-cbc-suites\.server: pass -> warning: adversarial: ` +
            String.raw`a ClientHello offering only cbc suites was accepted`,
        ),
      ),
    ]);
    expect(changed.output).toMatch(
      new RegExp(
        String.raw`\d+\. server 'service': the server allows protocol versions, suites or keys it must refuse ` +
          String.raw`\[REGRESSION\]\n {7}crypto\.reject-cbc-suites\.server \(TLSv1\.2; was pass\): warning: ` +
          String.raw`adversarial: a ClientHello offering only cbc suites was accepted`,
      ),
    );
    const reverted = await runSuite(env());
    expect(reverted.code).toBe(0);
    expect(reverted.report!.snapshot!.regressions).toEqual([]);
  }, 200_000);

  it(
    'ssl_verify_client optional, in Node terms (rejectUnauthorized: false): every client-certificate rejection ' +
      'regresses, exit 1',
    async () => {
      const optional = await runSuite(env({ SNAPSHOT_DEMO_OPTIONAL: '1' }));
      expect(optional.code).toBe(1);
      const regressed = optional.report!.snapshot!.regressions.map((l) => l.split(':')[0]);
      expect(regressed).toContain('service rsa-2048 TLSv1.3 cauth.reject-none');
      expect(regressed).toContain('service rsa-2048 TLSv1.2 cauth.reject-foreign-ca');
      // The last screen says it in plain words, with the fix, each failure once, and one set of counts.
      const screen = optional.output.slice(optional.output.indexOf('mtls-conformance: what to fix'));
      expect(screen).toMatch(
        new RegExp(
          String.raw`^mtls-conformance: what to fix, first things first \(1\):\n {2}1\. server 'service': a client ` +
            String.raw`without a certificate is let in: the client-authentication mode is optional \(required in the ` +
            String.raw`snapshot\) \[REGRESSION\]\n {7}cauth\.reject-none \(TLSv1\.2, TLSv1\.3; was pass\): ` +
            'adversarial: ',
        ),
      );
      expect(screen).toMatch(
        /\n {5}fix: Require a client certificate: .*\n {7}Node: requestCert: true, rejectUnauthorized: true/,
      );
      for (const id of ['cauth.reject-none', 'cauth.reject-foreign-ca'])
        expect(optional.output.split(id).length - 1, `${id} printed once`).toBe(1);
      expect(screen).toMatch(/\nmtls-conformance: the gate FAILS \(exit 1\): \d+ regressions and 0 new failing cells/);
      expect(screen.trimEnd().split('\n').at(-1)).toMatch(
        /^mtls-conformance: \d+ pass, \d+ fail, .*; vitest's own count: \d+ tests passed, \d+ failed, \d+ skipped; /,
      );
      // And the summary for a pull request: short, with its sections.
      const summary = optional.summary!;
      expect(summary.split('\n').length).toBeLessThanOrEqual(60);
      expect(summary).toMatch(/^## mtls-conformance\n\n\*\*FAIL\*\*: \d+ regressions/);
      for (const section of ['| area |', '### Fix first', '### Client-authentication mode', '### Against the snapshot'])
        expect(summary).toContain(section);
      expect(summary).toMatch(/\| service \| \*\*optional\*\* \| \*\*optional/);
      expect(optional.markdown!.startsWith(summary)).toBe(true);
    },
    100_000,
  );

  it(
    'known failures recorded in the snapshot are shown and do not fail the gate; a fix is an ' + 'improvement',
    async () => {
      const known = path.join(dir, 'known.snapshot.json');
      const record = await runSuite({ ...env({ SNAPSHOT_DEMO_OPTIONAL: '1' }), MTLS_SNAPSHOT: known }, ['-u']);
      expect(record.code).toBe(0);
      expect(record.output).toMatch(/failing cells recorded as known/);
      const still = await runSuite({ ...env({ SNAPSHOT_DEMO_OPTIONAL: '1' }), MTLS_SNAPSHOT: known });
      expect(still.code, still.output.slice(-1500)).toBe(0);
      expect(still.report!.summary.fail).toBeGreaterThan(10);
      expect(still.report!.snapshot!.known.length).toBe(still.report!.summary.fail);
      const fixed = await runSuite({ ...env(), MTLS_SNAPSHOT: known });
      expect(fixed.code).toBe(0);
      // Every failing cell that passes now is an improvement, and so is a strict finding that went away.
      const passing = new Set(
        fixed.report!.results.filter((r) => r.verdict === 'pass').map((r) => `${r.target} ${r.version} ${r.id}`),
      );
      const mended = still.report!.results.filter(
        (r) => (r.verdict === 'fail' || r.verdict === 'warning') && passing.has(`${r.target} ${r.version} ${r.id}`),
      );
      expect(mended.filter((r) => r.verdict === 'fail')).toHaveLength(still.report!.summary.fail);
      expect(fixed.report!.snapshot!.improvements.length).toBe(mended.length);
    },
    200_000,
  );

  it('a narrowed run (--tags-filter strict) compares only the cells it ran', async () => {
    const narrowed = await runSuite(env(), ['--tags-filter', 'strict']);
    expect(narrowed.code, narrowed.output.slice(-1500)).toBe(0);
    const s = narrowed.report!.snapshot!;
    expect(s.filtered).toBe(true);
    expect(s.missing.length).toBeGreaterThan(50);
    expect(s.regressions).toEqual([]);
  }, 100_000);

  it('without a snapshot, any failing verdict is exit 1', async () => {
    const run = await runSuite({
      MTLS_CONFIG: config,
      MTLS_SNAPSHOT: path.join(dir, 'none.json'),
      SNAPSHOT_DEMO_OPTIONAL: '1',
    });
    expect(run.code).toBe(1);
    expect(run.report!.snapshot).toBeUndefined();
  }, 100_000);
});

describe('a property that moved level', () => {
  // A snapshot recorded before the level audit: no levels in its cells; the SHA-1 check was baseline then.
  const row = (verdict: CellVerdict): ResultRow => ({
    id: 'crypto.reject-sha1-signature.client',
    target: 'svc',
    key: 'rsa-2048',
    version: 'TLSv1.2',
    verdict,
    level: 'strict',
    role: 'client',
    area: 'crypto-policy',
    statement: 'x',
    probes: [],
  });
  const before = (verdict: CellVerdict, level?: 'baseline' | 'strict'): Snapshot => ({
    format: 1,
    seen: { node: '', openssl: '', programs: [] },
    cells: { [cellKey(row(verdict))]: { verdict, ...(level ? { level } : {}) } },
  });
  const levels = () => 'strict' as const;
  const movedFrom = (id: string) => CATALOGUE.find((p) => p.id === id)?.movedFrom;

  it(
    'a known failure recorded at its old level, now a warning, is changed: neither a regression nor an ' +
      'improvement',
    () => {
      const c = compare(before('fail'), [row('warning')], levels, false, movedFrom);
      expect(c.regressions).toEqual([]);
      expect(c.improvements).toEqual([]);
      expect(c.changed).toEqual([
        expect.stringMatching(
          /fail -> warning \(the property moved from baseline to strict; the verdict follows its new level\)$/,
        ),
      ]);
    },
  );

  it('recorded with its level, the same cell compares as any other', () => {
    expect(compare(before('warning', 'strict'), [row('warning')], levels, false, movedFrom).changed).toEqual([]);
    expect(compare(before('pass', 'strict'), [row('warning')], levels, false, movedFrom).regressions).toHaveLength(1);
  });
});
