/**
 * Servers reached by name (tests/selftest/names.config.ts): Caddy with client authentication,
 * which refuses requests whose SNI and Host disagree, passes every server check when its target
 * names the host; an nginx with an mTLS name and an open name on one address is tested on both.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { property } from '../harness/catalogue.js';
import { FAILING } from '../harness/verdicts.js';
import { runSuite, type SuiteRun } from './run-suite.js';

describe('servers reached by name', () => {
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runSuite({ MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/names.config.ts') }, [], 600_000);
  }, 620_000);
  const rows = (target: string) => run.report!.results.filter((r) => r.target === target);
  const failing = (target: string) =>
    rows(target)
      .filter((r) => FAILING.includes(r.verdict))
      .map((r) => `${r.id} ${r.version} ${r.verdict}`);

  it('the run ends by itself; each name of a server is its own project', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.report!.targets).toEqual([
      'caddy',
      'nginx-vhosts-misdeclared:mtls.internal',
      'nginx-vhosts-misdeclared:public.internal',
      'nginx-vhosts:mtls.internal',
      'nginx-vhosts:public.internal',
      'node-names-by-servername:mtls.internal',
      'node-names-by-servername:public.internal',
    ]);
  });

  it(
    'Caddy (client_auth require_and_verify, strict SNI/Host): every server check passes, with SNI and Host in the ' +
      'evidence',
    () => {
      expect(failing('caddy')).toEqual([]);
      const server = rows('caddy').filter((r) => r.role === 'server' && r.verdict !== 'n/a');
      expect(server.length).toBeGreaterThan(45);
      const good = rows('caddy').find((r) => r.id === 'cauth.accept-good' && r.version === 'TLSv1.3')!;
      expect(good.verdict).toBe('pass');
      expect(good.probes[0]!.evidence.sni).toBe('api.internal');
      expect(good.probes[0]!.evidence.httpHost).toMatch(/^api\.internal:\d+$/);
    },
  );

  it(
    'nginx, two names on one address: the mTLS name passes; the open name has its client-authentication checks n/a ' +
      'and passes the rest',
    () => {
      expect(failing('nginx-vhosts:mtls.internal')).toEqual([]);
      expect(
        rows('nginx-vhosts:mtls.internal').find((r) => r.id === 'cauth.reject-none' && r.version === 'TLSv1.3')!
          .verdict,
      ).toBe('pass');
      const open = rows('nginx-vhosts:public.internal');
      expect(failing('nginx-vhosts:public.internal')).toEqual([]);
      for (const id of [
        'cauth.reject-none',
        'cauth.accept-good',
        'chain.reject-missing-intermediate.server',
        'crypto.reject-sha1-signature.server',
      ]) {
        const r = open.find((row) => row.id === id && row.version === 'TLSv1.2')!;
        expect(r.verdict, id).toBe('n/a');
        expect(r.reason).toBe(
          "the name public.internal is declared without client authentication (clientAuth: 'none')",
        );
      }
      // Its other checks ran, against the open virtual host (its answer says so).
      const wire = open.find((r) => r.id === 'integ.app-tamper.server' && r.version === 'TLSv1.3')!;
      expect(wire.verdict).toBe('pass');
      expect(wire.probes[0]!.evidence.sni).toBe('public.internal');
    },
  );

  it(
    'a session made on the open name does not resume into the mTLS name: nginx (CVE-2025-23419 patched) refuses ' +
      'it; an application keyed on socket.servername lets it in on TLS 1.3',
    () => {
      const cell = (target: string, version: string) =>
        rows(target).find((r) => r.id === 'resume.server-reject-open-name-session' && r.version === version)!;
      // nginx resumes the open name's session on both versions: TLS 1.3 ends the handshake with an
      // access_denied alert (the fix), TLS 1.2 answers the request 421 (the session's name is not the Host's).
      for (const version of ['TLSv1.2', 'TLSv1.3']) {
        const r = cell('nginx-vhosts:mtls.internal', version);
        expect(r.verdict, r.reason).toBe('pass');
        const adversarial = r.probes.at(-1)!;
        expect(adversarial.evidence.sni).toBe('mtls.internal');
        expect(adversarial.reason).toMatch(
          version === 'TLSv1.3' ? /access_denied|ACCESS_DENIED/ : /421 Misdirected Request/,
        );
      }
      // On the open name itself the check is one of client certificates: n/a.
      expect(cell('nginx-vhosts:public.internal', 'TLSv1.3').verdict).toBe('n/a');
      // Node reports the session's name as socket.servername on a resumed TLS 1.3 connection.
      expect(failing('node-names-by-servername:mtls.internal')).toEqual([
        'resume.server-reject-open-name-session TLSv1.3 fail',
      ]);
      const broken = cell('node-names-by-servername:mtls.internal', 'TLSv1.3');
      expect(broken.probes.at(-1)!.evidence.resumed).toBe(true);
      expect(broken.probes.at(-1)!.verdict).toBe('accepted');
      // On TLS 1.2 the same application refuses the resumed session even on the open name (no servername then): n/a.
      expect(cell('node-names-by-servername:mtls.internal', 'TLSv1.2').verdict).toBe('n/a');
      expect(failing('node-names-by-servername:public.internal')).toEqual([]);
    },
  );

  it('declaring the open name as requiring client certificates fails exactly its client-certificate checks', () => {
    expect(failing('nginx-vhosts-misdeclared:mtls.internal')).toEqual([]);
    const failed = rows('nginx-vhosts-misdeclared:public.internal').filter((r) => FAILING.includes(r.verdict));
    expect(failed.length).toBeGreaterThan(20);
    expect(
      failed
        .filter((r) => r.verdict !== 'fail' || !property(r.id).judgesClientCertificates)
        .map((r) => `${r.id} ${r.version} ${r.verdict}`),
    ).toEqual([]);
    expect(failed.map((r) => r.id)).toContain('cauth.reject-none');
  });
});
