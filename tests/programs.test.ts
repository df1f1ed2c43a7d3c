/**
 * Correct programs written by others pass, asked only what their properties need
 * (tests/selftest/programs.config.ts); a refused control is reported as such, never as the property failing.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAILING } from '../harness/verdicts.js';
import { failingOf, rowsOf, runSuite, type SuiteRun } from './run-suite.js';

describe('programs as others wrote them', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/programs.config.ts') }, [], 600_000);
  }, 620_000);
  const rows = (target: string) => rowsOf(run, target);
  const failing = (target: string) => failingOf(run, target);

  it('the run ends by itself and fails only on the failed controls', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.report!.summary.fail).toBe(0);
  });

  it(
    'openssl s_server without -rev (it reads stdin, never answers): passes, acceptance shown by the sentinel in ' +
      'its output',
    () => {
      expect(failing('openssl-no-rev')).toEqual([]);
      const good = rows('openssl-no-rev').filter((r) => r.id === 'cauth.accept-good');
      expect(good.map((r) => r.verdict)).toEqual(['pass', 'pass']);
      expect(good[0]!.probes[0]!.reason).toMatch(/the sentinel reached the server program/);
    },
  );

  it('stunnel handing connections to cat passes', () => {
    expect(failing('stunnel-cat')).toEqual([]);
    expect(
      rows('stunnel-cat')
        .filter((r) => r.id === 'cauth.accept-good')
        .map((r) => r.verdict),
    ).toEqual(['pass', 'pass']);
  });

  it('curl passes: the identity it does not print is a note; the tamper it cannot show is n/a', () => {
    expect(failing('curl')).toEqual([]);
    for (const r of rows('curl').filter((row) => row.id === 'sauth.accept-good')) {
      expect(r.verdict).toBe('pass');
      expect(r.notes?.join(' ')).toMatch(/not shown by the program/);
    }
    for (const r of rows('curl').filter((row) => row.id === 'integ.app-tamper.client')) {
      expect(r.verdict).toBe('n/a');
      expect(r.reason).toMatch(/never shows what it received/);
    }
    expect(
      rows('curl')
        .filter((r) => r.id === 'chain.accept-intermediate.client')
        .map((r) => r.verdict),
    ).toEqual(['pass', 'pass']);
  });

  it('nginx on verify depth 1: the path-length check is "control failed" with the hint, never "fail"', () => {
    const verdicts = rows('nginx-verify-depth-1')
      .filter((r) => FAILING.includes(r.verdict))
      .map((r) => `${r.id} ${r.version} ${r.verdict}`);
    expect(verdicts.sort()).toEqual([
      'chain.reject-pathlen-exceeded.server TLSv1.2 control failed',
      'chain.reject-pathlen-exceeded.server TLSv1.3 control failed',
    ]);
    for (const r of rows('nginx-verify-depth-1').filter((row) => row.id === 'chain.reject-pathlen-exceeded.server')) {
      expect(r.reason).toMatch(
        new RegExp(
          String.raw`^positive control: .* was rejected: .*Hint: the server refuses a valid chain of two ` +
            String.raw`intermediates: its verify depth\?`,
        ),
      );
    }
    // On the last screen: a check that could not be shown, with its reason, apart from what failed.
    expect(run.output).toMatch(
      new RegExp(
        String.raw`\d+\. server 'nginx-verify-depth-1': checks that could not be shown \(the control failed, or ` +
          String.raw`the evidence was unclear\): the setup, not the property\n {7}chain\.reject-pathlen-exceeded\.` +
          String.raw`server \(TLSv1\.2(, TLSv1\.3)?\): control failed: positive control: `,
      ),
    );
    expect(run.junit).toMatch(
      /<failure type="control failed" message="control failed: positive control: client-via-sub-ca/,
    );
  });
});
