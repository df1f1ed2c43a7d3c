/**
 * reports/conformance.html in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens the file with the network off, a failing cell is clicked and its evidence
 * read back, the filters narrow the matrix, and a screenshot is written to reports/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';
import { runSuite, type SuiteRun } from './run-suite.js';

const CHROMIUM =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ??
  '/usr/bin/chromium';
const dir = mkdtempSync(path.join(tmpdir(), 'mtls-html-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the HTML report in a browser', () => {
  let run: SuiteRun;
  let file: string;
  beforeAll(async () => {
    run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/verdicts.config.ts') }, [], 300_000);
    file = path.join(dir, 'conformance.html');
    writeFileSync(file, run.html!);
  }, 320_000);

  it('is one self-contained file: no network, no external resource', () => {
    expect(run.html).toBeDefined();
    expect(run.html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/);
  });

  it(
    'opens in headless Chromium; a failing cell shows its evidence; filters narrow the matrix; a screenshot is ' +
      'kept',
    async () => {
      expect(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install chromium; or set CHROMIUM_PATH)`).toBe(
        true,
      );
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const context = await browser.newContext({ offline: true, viewport: { width: 1500, height: 900 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        const requests: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) requests.push(r.url());
        });
        await page.goto(`file://${file}`);
        expect(await page.textContent('#summary')).toContain(
          `${run.report!.summary.pass} pass, ${run.report!.summary.fail} fail`,
        );
        // The failing cell of cbc-only: conf.aead-fs.server on TLS 1.2.
        await page.click('td.cell[data-key="conf.aead-fs.server|cbc-only|TLSv1.2"]');
        const evidence = await page.textContent('#evidence');
        expect(evidence).toContain('conf.aead-fs.server');
        expect(evidence).toContain('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
        expect(evidence).toMatch(/sentinel exchange: ?accepted/);
        // Filters: only not-run cells, only one target.
        await page.selectOption('#f-verdict', 'not run');
        await page.selectOption('#f-target', 'tcp-only');
        const shown = await page
          .locator('td.cell:not(.dim)')
          .evaluateAll((tds) => tds.map((td) => (td as HTMLElement).dataset.verdict));
        expect(shown.length).toBeGreaterThan(40);
        expect(new Set(shown)).toEqual(new Set(['not run']));
        mkdirSync(path.join(REPO_ROOT, 'reports'), { recursive: true });
        await page.selectOption('#f-verdict', '');
        await page.selectOption('#f-target', '');
        await page.click('td.cell[data-key="conf.aead-fs.server|cbc-only|TLSv1.2"]');
        await page.screenshot({ path: path.join(REPO_ROOT, 'reports/conformance-html.png') });
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
