/**
 * Servers reached by name (tests/selftest/names.config.ts): Caddy with client authentication,
 * which refuses requests whose SNI and Host disagree, passes every server check when its target
 * names the host; an nginx with an mTLS name and an open name on one address is tested on both.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAILING } from '../harness/verdicts.js';
import { runSuite, type SuiteRun } from './run-suite.js';

describe('servers reached by name', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/names.config.ts') }, [], 600_000);
  }, 620_000);
  const rows = (target: string) => run.report!.results.filter((r) => r.target === target);
  const failing = (target: string) => rows(target).filter((r) => FAILING.includes(r.verdict)).map((r) => `${r.id} ${r.version} ${r.verdict}`);

  it('the run ends by itself; each name of a server is its own project', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.report!.targets).toEqual(['caddy', 'nginx-vhosts-misdeclared:mtls.internal', 'nginx-vhosts-misdeclared:public.internal', 'nginx-vhosts:mtls.internal', 'nginx-vhosts:public.internal']);
  });

  it('Caddy (client_auth require_and_verify, strict SNI/Host): every server check passes, with SNI and Host in the evidence', () => {
    expect(failing('caddy')).toEqual([]);
    const server = rows('caddy').filter((r) => r.role === 'server' && r.verdict !== 'n/a');
    expect(server.length).toBeGreaterThan(45);
    const good = rows('caddy').find((r) => r.id === 'cauth.accept-good' && r.version === 'TLSv1.3')!;
    expect(good.verdict).toBe('pass');
    expect(good.probes[0]!.evidence.sni).toBe('api.internal');
    expect(good.probes[0]!.evidence.httpHost).toMatch(/^api\.internal:\d+$/);
  });

  it('nginx, two names on one address: the mTLS name passes; the open name has its client-authentication checks n/a and passes the rest', () => {
    expect(failing('nginx-vhosts:mtls.internal')).toEqual([]);
    expect(rows('nginx-vhosts:mtls.internal').find((r) => r.id === 'cauth.reject-none' && r.version === 'TLSv1.3')!.verdict).toBe('pass');
    const open = rows('nginx-vhosts:public.internal');
    expect(failing('nginx-vhosts:public.internal')).toEqual([]);
    for (const id of ['cauth.reject-none', 'cauth.accept-good', 'chain.reject-missing-intermediate.server', 'crypto.reject-sha1-signature.server']) {
      const r = open.find((row) => row.id === id && row.version === 'TLSv1.2')!;
      expect(r.verdict, id).toBe('n/a');
      expect(r.reason).toBe("the name public.internal is declared without client authentication (clientAuth: 'none')");
    }
    // Its other checks ran, against the open virtual host (its answer says so).
    const wire = open.find((r) => r.id === 'integ.app-tamper.server' && r.version === 'TLSv1.3')!;
    expect(wire.verdict).toBe('pass');
    expect(wire.probes[0]!.evidence.sni).toBe('public.internal');
  });

  it('declaring the open name as requiring client certificates fails exactly its client-certificate checks', () => {
    expect(failing('nginx-vhosts-misdeclared:mtls.internal')).toEqual([]);
    const failed = rows('nginx-vhosts-misdeclared:public.internal').filter((r) => FAILING.includes(r.verdict));
    expect(failed.length).toBeGreaterThan(20);
    expect(failed.every((r) => r.verdict === 'fail' && (r.area === 'client-authentication' || r.area === 'chains' || r.id.startsWith('crypto.reject-')))).toBe(true);
    expect(failed.map((r) => r.id)).toContain('cauth.reject-none');
  });
});
