/**
 * A verdict says exactly what was shown (tests/selftest/verdicts.config.ts): a server limited to one
 * TLS 1.2 suite fails only what it breaks, because every suite check's control offers every suite
 * but the family under test; an application that never answers is decided without waiting out a
 * deadline; a server that never speaks TLS has one probe per version wait, its checks not run, and
 * the root cause printed once; and the HTML report of that run opens in a browser.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';
import { FAILING } from '../harness/verdicts.js';
import { runSuite, type SuiteRun } from './run-suite.js';
import { classify } from '../harness/spec/conformance.js';
import type { ProbeRecord } from '../harness/spec/records.js';
import { findingsOf, strictLinesOf } from '../harness/report/findings.js';
import { renderHtml } from '../harness/report/html.js';
import { stageReport } from './stage-reports.js';

// One run of the verdicts config serves the verdict checks and the HTML report's (below).
let run: SuiteRun;
beforeAll(async () => {
  run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/verdicts.config.ts') }, [], 300_000);
}, 320_000);

describe('verdicts say exactly what was shown', () => {
  const rows = (target: string, version?: string) =>
    run.report!.results.filter((r) => r.target === target && (!version || r.version === version));

  it('the run fails (it holds broken targets), by itself, with exit 1', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
  });

  // A CBC suite with ECDHE is forward-secret: RFC 9325 only RECOMMENDS an AEAD, so it is a strict
  // finding (noted in conf.aead-fs). Static RSA is not forward-secret: the MUST of conf.aead-fs.
  for (const [target, family, fails] of [
    ['cbc-only', 'cbc', []],
    ['static-rsa-only', 'static-rsa', ['conf.aead-fs.server fail']],
  ] as const) {
    it(
      `${target}: fails exactly ${fails.join(', ') || 'nothing'} on TLS 1.2, warns on its own family, passes RC4, ` +
        `NULL and 3DES`,
      () => {
        const tls12 = rows(target, 'TLSv1.2');
        expect(tls12.filter((r) => FAILING.includes(r.verdict)).map((r) => `${r.id} ${r.verdict}`)).toEqual(fails);
        if (family === 'cbc')
          expect(tls12.find((r) => r.id === 'conf.aead-fs.server')?.notes?.join(' ')).toMatch(
            /which is not an AEAD cipher \(crypto\.reject-cbc-suites judges that/,
          );
        expect(tls12.find((r) => r.id === `crypto.reject-${family}-suites.server`)?.verdict).toBe('warning');
        for (const weak of ['rc4', 'null', '3des']) {
          const row = tls12.find((r) => r.id === `crypto.reject-${weak}-suites.server`)!;
          expect(row.verdict, weak).toBe('pass');
          // The control was the adversarial offer's twin: everything but that family, and accepted.
          const control = row.probes.find((p) => p.kind === 'control')!;
          expect(control.verdict).toBe('accepted');
          expect(control.label).toContain(`every TLS 1.2 suite but the ${weak} ones`);
        }
        // A TLS 1.2-only server: its TLS 1.3 column does not apply.
        expect(rows(target, 'TLSv1.3').every((r) => r.verdict === 'n/a')).toBe(true);
      },
    );
  }

  it('silent-application: every probe decided on its evidence, none waited out its deadline', () => {
    const all = rows('silent-application');
    expect(all.filter((r) => FAILING.includes(r.verdict))).toEqual([]);
    expect(all.find((r) => r.id === 'cauth.accept-good' && r.version === 'TLSv1.3')?.verdict).toBe('pass');
    const probes = all.flatMap((r) => r.probes);
    expect(probes.length).toBeGreaterThan(50);
    expect(
      probes.filter((p) => p.evidence.timeline.some((e) => /deadline reached/.test(e))).map((p) => p.label),
    ).toEqual([]);
    // Accepted on the sentinel reaching the application, which never answered.
    const accepted = probes.filter((p) => p.verdict === 'accepted' && p.evidence.server.delivered > 0);
    expect(accepted.length).toBeGreaterThan(20);
    expect(accepted.every((p) => p.evidence.server.written === 0)).toBe(true);
  });

  it(
    'tcp-only: one probe per version waits; every check is not run at once; the root cause is printed once per ' +
      'version',
    () => {
      const server = rows('tcp-only').filter(
        (r) => r.role === 'server' && !/only$/.test(r.reason ?? '') && r.area !== 'authorization',
      );
      expect(server.length).toBeGreaterThan(45);
      for (const r of server) {
        expect(r.verdict, r.id).toBe('not run');
        expect(r.reason).toMatch(
          new RegExp(
            String.raw`^the good exchange failed: inconclusive: .*did not end within \d+ ms.*hint: the server ` +
              String.raw`accepted the TCP connection but never answered the ClientHello`,
          ),
        );
        expect(r.probes, 'probes run by a check that was not run').toEqual([]);
      }
      for (const version of ['TLSv1.2', 'TLSv1.3']) {
        expect(
          run.output.split(`ROOT CAUSE: target 'tcp-only' server, ${version}: the good exchange failed`).length - 1,
        ).toBe(1);
      }
      expect(run.report!.rootCauses.filter((c) => c.startsWith("target 'tcp-only'"))).toHaveLength(2);
    },
  );

  it(
    'dies-on-connect: a program that died before the handshake is not a server that rejected: not run, with its ' +
      'exit status and output',
    () => {
      const server = rows('dies-on-connect').filter(
        (r) => r.role === 'server' && !/only$/.test(r.reason ?? '') && r.area !== 'authorization',
      );
      expect(server.length).toBeGreaterThan(45);
      for (const r of server) {
        expect(r.verdict, r.id).toBe('not run');
        expect(r.reason).toMatch(
          new RegExp(
            String.raw`^the good exchange failed: inconclusive: the server program exited \(4\) before it ` +
              String.raw`answered the ClientHello; its last output: starting`,
          ),
        );
      }
    },
  );

  it('one vocabulary: the closing line, conformance.json and junit.xml give the same counts', () => {
    const s = run.report!.summary;
    expect(run.output).toContain(
      `mtls-conformance: ${s.pass} pass, ${s.fail} fail, ${s.warning} warning, ${s['n/a']} n/a, ${s['not run']} not ` +
        `run;`,
    );
    expect(Object.values(s).reduce((a, b) => a + b, 0)).toBe(run.report!.results.length);
    const junit = run.junit!;
    expect(junit.match(/<testcase /g)).toHaveLength(run.report!.results.length);
    expect(junit.match(/<failure type="fail"/g)).toHaveLength(s.fail);
    expect(junit.match(/<failure type="not run"/g)).toHaveLength(s['not run']);
    expect(junit.match(/<property name="mtls.warning"/g)).toHaveLength(s.warning);
    expect(junit.match(/<skipped message="n\/a: /g)).toHaveLength(s['n/a']);
    // Strict findings are listed as warnings, one line each, not shown as passes only.
    expect(run.output).toMatch(
      new RegExp(
        String.raw`WARN crypto\.reject-cbc-suites\.server: \d+ cells? \([^)]*cbc-only[^)]*\): adversarial: a ` +
          String.raw`ClientHello offering only cbc suites was accepted`,
      ),
    );
  });
});

describe("a verdict reads a probe's typed kind, never its words", () => {
  const record = (label: string, kind: ProbeRecord['kind'], verdict: ProbeRecord['verdict']): ProbeRecord => ({
    label,
    kind,
    verdict,
    reason: `it was ${verdict}`,
    evidence: {} as ProbeRecord['evidence'],
  });

  it(
    'an accepted probe labelled "adversarial" but of kind exchange is no finding; one of kind adversarial is, ' +
      'whatever its label',
    () => {
      expect(
        classify([record('adversarial: words only', 'exchange', 'accepted')], 'baseline', false, 'x').verdict,
      ).toBe('fail');
      expect(classify([record('adversarial: words only', 'exchange', 'accepted')], 'baseline', false, 'x').reason).toBe(
        'x',
      );
      const finding = classify([record('a probe with any label', 'adversarial', 'accepted')], 'baseline', false, 'x');
      expect(finding.reason).toBe('a probe with any label was accepted: it was accepted');
    },
  );

  it('a rejected control counts by its kind: "control failed"; a probe merely labelled so does not', () => {
    const kinded = [record('any label', 'control', 'rejected'), record('another', 'adversarial', 'rejected')];
    expect(classify(kinded, 'baseline', false, 'x').verdict).toBe('control failed');
    const worded = [
      record('positive control: words only', 'exchange', 'rejected'),
      record('another', 'adversarial', 'rejected'),
    ];
    expect(classify(worded, 'baseline', false, 'x').verdict).toBe('fail');
  });

  it('a probe whose finding another property owns does not decide the cell', () => {
    const owned = {
      ...record('adversarial: let in by a full handshake', 'adversarial', 'accepted'),
      ownedBy: 'cauth.reject-none',
    };
    expect(classify([owned], 'baseline', false, 'x').reason).toBe('x');
  });
});

const CHROMIUM =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ??
  '/usr/bin/chromium';
const dir = mkdtempSync(path.join(tmpdir(), 'mtls-html-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * reports/conformance.html in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens the file with the network off, a failing cell is clicked and its evidence
 * read back, the filters narrow the matrix, and a screenshot is written to reports/.
 */
describe('the HTML report in a browser', () => {
  let file: string;
  beforeAll(() => {
    file = path.join(dir, 'conformance.html');
    writeFileSync(file, run.html!);
  });

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
        // The failing cell of static-rsa-only: conf.aead-fs.server on TLS 1.2 (no forward secrecy).
        await page.click('td.cell[data-key="conf.aead-fs.server|static-rsa-only|TLSv1.2"]');
        const evidence = await page.textContent('#evidence');
        expect(evidence).toContain('conf.aead-fs.server');
        expect(evidence).toContain('TLS_RSA_WITH_AES_');
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
        await page.click('td.cell[data-key="conf.aead-fs.server|static-rsa-only|TLSv1.2"]');
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

/** The overview a reader takes in first, and a matrix of ten targets and more, read back in Chromium. */
describe('the HTML report: its overview, and a wide matrix', () => {
  const open = async (html: string, name: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await (await browser.newContext({ offline: true, viewport: { width: 1500, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${file}`);
    return { browser, page, errors };
  };

  it('shows the gate, counts by area, what to fix first with its fix, the client-authentication modes', async () => {
    const report = run.report!;
    const { browser, page, errors } = await open(run.html!, 'overview.html');
    try {
      expect(await page.textContent('#gate')).toMatch(/^FAIL: \d+ failing cells/);
      const areas = await page.locator('#by-area tr td:first-child').allTextContents();
      expect(areas).toEqual(
        [...new Set(report.catalogue.map((p) => p.area))].filter((a) => report.results.some((r) => r.area === a)),
      );
      const findings = findingsOf(report);
      expect(findings.length).toBeGreaterThan(0);
      const items = await page.locator('#fix-first > li').allTextContents();
      expect(items).toHaveLength(findings.length);
      findings.forEach((f, i) => {
        expect(items[i]).toContain(`${f.role} '${f.target}': ${f.cause}`);
        expect(items[i]).toContain(`Fix: ${f.remedy.fix}`);
      });
      // Every server's mode per version, as the report judged it.
      const modes = await page
        .locator('#modes td[data-mode]')
        .evaluateAll((tds) => tds.map((td) => (td as HTMLElement).dataset.mode));
      expect(modes).toEqual(
        [...new Set(report.clientAuthModes!.map((m) => m.target))].flatMap((t) =>
          ['TLSv1.2', 'TLSv1.3'].flatMap((v) =>
            report.clientAuthModes!.filter((m) => m.target === t && m.version === v).map((m) => m.mode),
          ),
        ),
      );
      expect(await page.locator('#strict tr').count()).toBe(strictLinesOf(report).length + 1);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('ten targets and more: sticky headers; the evidence leaves the clicked column in view (screenshot)', async () => {
    // The real peers' run: every stack with both key types.
    const report = await stageReport('interop');
    expect(report.targets.length).toBeGreaterThanOrEqual(10);
    const { browser, page, errors } = await open(renderHtml(report, 0), 'wide.html');
    try {
      const header = page.locator('#matrix tr:first-child th').nth(2);
      expect(await header.evaluate((th) => getComputedStyle(th).position)).toBe('sticky');
      expect(
        await page
          .locator('td.prop')
          .first()
          .evaluate((td) => getComputedStyle(td).position),
      ).toBe('sticky');
      // The last column's cell of the last property: clicked, its evidence opens, and the cell is not under it.
      const last = page.locator('td.cell').last();
      const key = (await last.getAttribute('data-key'))!;
      await last.click();
      expect(await page.textContent('#evidence')).toContain(key.split('|')[0]!);
      const covered = await page.evaluate((k) => {
        const td = document.querySelector(`td[data-key="${CSS.escape(k)}"]`)!;
        const r = td.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === td ? '' : `${hit?.tagName}#${hit?.id}`;
      }, key);
      expect(covered, 'what covers the clicked cell').toBe('');
      // So is its column's header.
      const th = await page.evaluate((k) => {
        const td = document.querySelector(`td[data-key="${CSS.escape(k)}"]`) as HTMLTableCellElement;
        const head = document.querySelector('#matrix tr')!.children[td.cellIndex]!;
        const r = head.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === head;
      }, key);
      expect(th, 'the header of the clicked column is in view').toBe(true);
      mkdirSync(path.join(REPO_ROOT, 'reports'), { recursive: true });
      await page.screenshot({ path: path.join(REPO_ROOT, 'reports/conformance-html-wide.png') });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 920_000);
});
