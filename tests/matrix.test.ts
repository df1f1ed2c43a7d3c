/**
 * The published matrix (docs/matrix.md, docs/matrix/index.html, from docs/matrix/matrix.json):
 * fresh against the catalogue, the interop config and the interop run of this `npm test`; its
 * pages are renderings of its data; a stale one is told apart; the page opens in Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import { INTEROP_CONFIG, MATRIX_FILES, renderings, stacksOf } from '../harness/cli/matrix.js';
import { loadConfig } from '../harness/config/load.js';
import { matrixDrift, matrixOf, type Matrix, type StackInfo } from '../harness/report/matrix.js';
import type { ConformanceReport, ResultRow } from '../harness/report/types.js';
import { stageReport } from './stage-reports.js';

const published = JSON.parse(readFileSync(MATRIX_FILES.json, 'utf8')) as Matrix;
const STALE = 'the published matrix is stale: npm run matrix';

describe('the published matrix', () => {
  it('docs/matrix.md and docs/matrix/index.html are renderings of docs/matrix/matrix.json', () => {
    const out = renderings(published);
    expect(readFileSync(MATRIX_FILES.markdown, 'utf8'), STALE).toBe(out.markdown);
    expect(readFileSync(MATRIX_FILES.html, 'utf8'), STALE).toBe(out.html);
  });

  it("lists the catalogue's properties and the interop config's stacks, each with its version", async () => {
    expect(
      published.properties.map((p) => p.id),
      STALE,
    ).toEqual(CATALOGUE.map((p) => p.id));
    const config = await loadConfig(INTEROP_CONFIG);
    expect(
      published.stacks.map((s) => s.name),
      STALE,
    ).toEqual(Object.keys(config.targets));
    expect(published.stacks.filter((s) => !s.version).map((s) => s.name)).toEqual([]);
    expect(published.keys).toEqual(['ecdsa-p256', 'rsa-2048']);
  });

  it('says what the stacks do now: every cell as the interop run of this npm test has it', async () => {
    const config = await loadConfig(INTEROP_CONFIG);
    const current = matrixOf(await stageReport('interop'), stacksOf(config, false));
    expect(matrixDrift(published, current), STALE).toEqual([]);
  }, 900_000);

  it('opens in headless Chromium, offline, with a row per property and a column per stack', async () => {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    expect(existsSync(executablePath), `Chromium at ${executablePath} (apt-get install chromium)`).toBe(true);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const page = await (await browser.newContext({ offline: true })).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${MATRIX_FILES.html}`);
      expect(await page.locator('#matrix tr').count()).toBe(CATALOGUE.length + 1);
      expect(await page.locator('#matrix tr').first().locator('th').count()).toBe(3 + published.stacks.length);
      expect(await page.locator('#stacks tr').count()).toBe(published.stacks.length + 1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

// A synthetic report: two stacks, one property per role, rows per version and key type.
const row = (target: string, id: string, version: string, key: string, verdict: ResultRow['verdict']): ResultRow => {
  const p = CATALOGUE.find((x) => x.id === id)!;
  return {
    id,
    target: `${target}/${key}`,
    key,
    version,
    verdict,
    level: p.level,
    role: p.role,
    area: p.area,
    statement: p.statement,
    probes:
      verdict === 'warning'
        ? [{ label: 'adversarial: client-ca-leaf (CA:TRUE)', kind: 'adversarial', verdict: 'accepted' } as never]
        : [],
  };
};
const SERVER_ID = 'chain.strict-reject-ca-leaf.server';
const CLIENT_ID = 'sauth.reject-foreign-ca';
const report = (rows: ResultRow[]): ConformanceReport =>
  ({ results: rows, catalogue: CATALOGUE.filter((p) => [SERVER_ID, CLIENT_ID].includes(p.id)) }) as never;
const stacks: StackInfo[] = [
  { name: 'a', roles: ['server', 'client'], waive: {} },
  { name: 'b', roles: ['server'], waive: { [SERVER_ID]: 'FINDING: b accepts it' } },
];
const runOf = (aServer13: ResultRow['verdict']) =>
  matrixOf(
    report([
      ...['TLSv1.2', 'TLSv1.3'].flatMap((v) =>
        ['rsa-2048', 'ecdsa-p256'].flatMap((k) => [
          row('a', SERVER_ID, v, k, v === 'TLSv1.3' ? aServer13 : 'pass'),
          row('a', CLIENT_ID, v, k, 'pass'),
          row('b', SERVER_ID, v, k, 'waived'),
        ]),
      ),
    ]),
    stacks,
  );

describe('the matrix, from a run', () => {
  it('a cell shows its worst verdict and where it was seen, and nothing of the run that a seed changes', () => {
    const m = runOf('warning');
    // Not the probe's label: labels name the run's generated hosts ("verifying lovely-stitcher.test").
    expect(m.cells.a![SERVER_ID]).toEqual({ verdict: 'warning', where: ['TLSv1.3'] });
    expect(m.cells.a![CLIENT_ID]).toEqual({ verdict: 'pass' });
    expect(m.cells.b![SERVER_ID]).toEqual({ verdict: 'waived' });
    // b has no client: no cell, not a pass.
    expect(m.cells.b![CLIENT_ID]).toEqual({ verdict: '—' });
  });

  it('a matrix published before a stack changed is stale, cell by cell; one from the same run is not', () => {
    const before = runOf('pass');
    expect(matrixDrift(before, runOf('pass'))).toEqual([]);
    expect(matrixDrift(before, runOf('warning'))).toEqual([`a ${SERVER_ID}: published pass, now warn (TLSv1.3)`]);
    const fewer = { ...before, properties: before.properties.slice(1) };
    expect(matrixDrift(fewer, before)).toEqual([`property ${before.properties[0]!.id}: new or changed`]);
    const reworded = { ...before, stacks: before.stacks.map((s) => ({ ...s, waive: {} })) };
    expect(matrixDrift(reworded, before)).toEqual(['stack b: its description, roles or waivers changed']);
  });
});
