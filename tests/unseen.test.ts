/**
 * Programs with behaviours nobody here configured for (tests/selftest/unseen.config.ts), through
 * the public config: a client that verifies localhost and takes no name, clients that retry after
 * a failed handshake, an application that answers 403, a program whose bind fails.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import { FAILING } from '../harness/verdicts.js';
import { TLS_VERSIONS } from '../harness/tls.js';
import { failingOf, rowsOf, runSuite, type SuiteRun } from './run-suite.js';

describe('programs on stacks nobody here configured', () => {
  let run: SuiteRun;
  // A port this test holds, which the bind-fails program tries to bind too.
  const holder = net.createServer();
  beforeAll(async () => {
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = String((holder.address() as net.AddressInfo).port);
    run = await runSuite(
      { MTLS_CONFIG: path.join(import.meta.dirname, 'selftest/unseen.config.ts'), MTLS_SELFTEST_HELD_PORT: held },
      [],
      600_000,
    );
  }, 620_000);
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  const rows = (target: string) => rowsOf(run, target);
  const cell = (target: string, id: string, version: string) =>
    rows(target).find((r) => r.id === id && r.version === version)!;
  const failing = (target: string) => failingOf(run, target);

  it('the run ends by itself', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.output.slice(-2000)).toBe(1);
  });

  it(
    'a client that verifies localhost and takes no name: its chain checks and the localhost host checks run and ' +
      'pass',
    () => {
      expect(failing('localhost-client')).toEqual([]);
      const ran = [
        'sauth.reject-foreign-ca',
        'sauth.reject-self-signed',
        'sauth.reject-expired',
        'sauth.reject-not-yet-valid',
        'sauth.reject-eku-client-only',
        'sauth.reject-dns-mismatch',
        'host.reject-uri-san-only',
        'host.reject-cn-when-san-present',
        'chain.reject-missing-intermediate.client',
      ];
      for (const version of TLS_VERSIONS) {
        for (const id of ran) expect(cell('localhost-client', id, version).verdict, `${id} ${version}`).toBe('pass');
        // Node's checkServerIdentity takes a CN when there is no SAN: a strict finding, so it ran.
        expect(['pass', 'warning']).toContain(cell('localhost-client', 'host.strict-reject-cn-only', version).verdict);
        // Checks that dial another name than localhost cannot be given to it: n/a, saying why.
        for (const id of ['host.reject-ipv4-in-dns-san', 'host.reject-wildcard-tld', 'sauth.reject-dns-only-for-ip']) {
          const c = cell('localhost-client', id, version);
          expect(c.verdict).toBe('n/a');
          expect(c.reason).toMatch(
            /^the client program verifies the host it dials \(localhost\) and does not take \{name\}/,
          );
        }
      }
    },
  );

  it(
    'a client that retries once, verifying each time: passes the whole client catalogue; each connection of a ' +
      'probe is tampered alike',
    () => {
      expect(failing('retrying-client')).toEqual([]);
      for (const version of TLS_VERSIONS) {
        const tamper = cell('retrying-client', 'integ.handshake-tamper.client', version);
        expect(tamper.verdict).toBe('pass');
        const adversarial = tamper.probes.find((p) => p.kind === 'adversarial')!;
        expect(adversarial.evidence.wire.connections?.map((c) => c.tampered)).toEqual([true, true]);
      }
    },
  );

  it(
    'a client that accepts any server on its retry fails every baseline check of what it should verify, and only ' +
      'those',
    () => {
      const shouldFail = CATALOGUE.filter(
        (p) =>
          p.level === 'baseline' &&
          p.role === 'client' &&
          (/^(sauth\.reject-|host\.|chain\.reject-)/.test(p.id) || p.id === 'crypto.reject-sha1-signature.client'),
      ).map((p) => p.id);
      for (const version of TLS_VERSIONS) {
        const failed = rows('retrying-lenient-client')
          .filter((r) => r.version === version && FAILING.includes(r.verdict))
          .map((r) => r.id)
          .sort();
        expect(failed).toEqual(shouldFail.sort());
        const c = cell('retrying-lenient-client', 'sauth.reject-foreign-ca', version);
        expect(c.verdict).toBe('fail');
        // Its first connection was refused, the retry let the foreign server in: the evidence shows both.
        const adversarial = c.probes.find((p) => p.kind === 'adversarial')!;
        // (On TLS 1.3 the server's handshake completes before the client refuses.)
        expect(adversarial.evidence.wire.connections?.map((x) => x.server)).toEqual([
          expect.stringMatching(/no application data$|^handshake failed/),
          expect.stringMatching(/^application data delivered/),
        ]);
      }
    },
  );

  it(
    'a session client (one process per configuration, a connection per line): passes the whole client ' +
      'catalogue, each probe its own connection and only its own output',
    () => {
      expect(failing('session-client')).toEqual([]);
      const probes = rows('session-client').flatMap((r) => r.probes);
      const outputs = probes.map((p) => p.evidence.client.output ?? '').filter((o) => o.includes('session '));
      expect(outputs.length).toBeGreaterThan(100);
      // Each probe read one connection's lines: its own "connection" line, never its neighbour's.
      expect(outputs.filter((o) => o.match(/session \d+ connection/g)!.length !== 1)).toEqual([]);
      // A handful of processes, not one per probe: one per spec file and configuration.
      const pids = new Set(outputs.map((o) => /session (\d+)/.exec(o)![1]));
      expect(pids.size).toBeLessThan(outputs.length / 4);
    },
  );

  it(
    'a session client that verifies only its first server fails the checks of what it should verify, on ' +
      'connections of a process that had verified one before',
    () => {
      for (const version of TLS_VERSIONS) {
        for (const id of ['sauth.reject-foreign-ca', 'sauth.reject-expired', 'host.reject-cn-when-san-present']) {
          const c = cell('session-trusting-client', id, version);
          expect(c.verdict, `${id} ${version}`).toBe('fail');
          const adversarial = c.probes.find((p) => p.kind === 'adversarial')!;
          expect(adversarial.evidence.client.output).toMatch(/session \d+ connection ([2-9]|\d{2,})/);
        }
      }
    },
  );

  it('an application that answers 403 gets the HTTP hint, not "does the program print what it receives?"', () => {
    const causes = run.report!.rootCauses.filter((c) => c.startsWith("target 'http-403'"));
    expect(causes).toHaveLength(2);
    for (const c of causes) {
      expect(c).toMatch(
        new RegExp(
          String.raw`hint: the server answered 403 to the good client certificate: TLS let the client in, and the` +
            String.raw` application refused the request`,
        ),
      );
      expect(c).not.toMatch(/print what it receives/);
    }
  });

  it('a program whose bind fails: its own error line comes first in the root cause', () => {
    const causes = run.report!.rootCauses.filter((c) => c.startsWith("target 'bind-fails'"));
    expect(causes).toHaveLength(2);
    for (const c of causes)
      expect(c).toMatch(
        new RegExp(
          String.raw`exited \(1\) before listening on port \d+; its error: "OSError: \[Errno 98\] Address already` +
            String.raw` in use"; last output:`,
        ),
      );
  });
});
