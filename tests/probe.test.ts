/** The probe's verdicts, on the in-process shims, including the outcomes that must not pass. */
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { issuePki, type Pki } from '../harness/pki/issue.js';
import { materialFor } from '../harness/pki/material.js';
import { probe } from '../harness/probe.js';
import type { CommandServerRole, NodeServerRole } from '../harness/config/types.js';
import type { CommandServer } from '../harness/targets/command.js';
import { runNodeClient } from '../harness/targets/node.js';
import { referenceClient } from '../harness/targets/reference.js';
import { clientSide, helloClientSide, nodeServerSide, serverSide, type ServerSide } from '../harness/targets/sides.js';
import { clientHello, GOOD_TLS12_SUITES } from '../harness/hello.js';

let pki: Pki;
beforeAll(async () => {
  pki = await issuePki(99);
});

const strictServer: NodeServerRole = {
  kind: 'node',
  options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, rejectUnauthorized: true }),
};
const attempt = (server: NodeServerRole, clientProfile: 'client' | 'client-expired', timeoutMs = 3000) =>
  probe({
    version: 'TLSv1.3',
    server: nodeServerSide('server under test', server, materialFor(pki, 'server')),
    client: clientSide('reference client', referenceClient('TLSv1.3'), materialFor(pki, clientProfile)),
    timeoutMs,
  });

describe('probe', () => {
  it('accepted: the server application answered, with the identity it saw', async () => {
    const o = await attempt(strictServer, 'client');
    expect(o.verdict).toBe('accepted');
    expect(o.evidence.server).toMatchObject({ authorized: true, handshake: true });
    expect(o.evidence.server.delivered).toBe(o.plaintext.c2s.length);
    expect(o.evidence.client.received).toBeGreaterThan(0);
  });

  it(
    'rejected: TLS 1.3 handshake completes on the client, then the server drops it; the reason is ' + 'recorded',
    async () => {
      const o = await attempt(strictServer, 'client-expired');
      expect(o.verdict).toBe('rejected');
      expect(o.evidence.client.handshake).toBe(true);
      expect(o.evidence.server.authorizationError).toBe('CERT_HAS_EXPIRED');
      expect(o.evidence.server.delivered).toBe(0);
    },
  );

  it('inconclusive, never a pass: the connection stays open and nothing crosses before the deadline', async () => {
    // The client sends nothing and the application never speaks first or closes.
    const o = await probe({
      version: 'TLSv1.3',
      server: nodeServerSide(
        'silent application',
        { ...strictServer, onConnection: () => {} },
        materialFor(pki, 'server'),
      ),
      client: clientSide('reference client', referenceClient('TLSv1.3'), materialFor(pki, 'client')),
      payload: Buffer.alloc(0),
      timeoutMs: 400,
    });
    // Tried twice, the second time with three times the deadline; both attempts are told.
    expect(o.verdict).toBe('inconclusive');
    expect(o.reason).toMatch(/did not end within 1200 ms \(client handshake completed/);
    expect(o.evidence.firstTry).toMatch(/did not end within 400 ms/);
  });

  it('a stall is tried again: a server slow to refuse the first time is read from its second answer', async () => {
    let connections = 0;
    const o = await probe({
      version: 'TLSv1.3',
      server: nodeServerSide(
        'stalls once, then closes',
        { ...strictServer, onConnection: (s) => void (connections++ > 0 && s.destroy()) },
        materialFor(pki, 'server'),
      ),
      client: clientSide('reference client', referenceClient('TLSv1.3'), materialFor(pki, 'client')),
      payload: Buffer.alloc(0),
      timeoutMs: 400,
    });
    expect(connections).toBe(2);
    expect(o.verdict).toBe('rejected');
    expect(o.reason).toMatch(/a second try: the first stalled, no application data crossed .* within 400 ms/);
    expect(o.evidence.firstTry).toMatch(/did not end within 400 ms/);
  });

  it("a server slow to start does not eat the probe's deadline: the time to answer starts once it is up", async () => {
    // Up after 300 ms, then 250 ms to answer: a 400 ms deadline counted from the start cuts it off.
    const slowAnswer = (socket: import('node:tls').TLSSocket) =>
      void socket.once('data', (chunk: Buffer) =>
        setTimeout(() => socket.end(Buffer.concat([Buffer.from('ACK '), chunk])), 250),
      );
    const server = nodeServerSide(
      'server under test',
      { ...strictServer, onConnection: slowAnswer },
      materialFor(pki, 'server'),
    );
    const slow: ServerSide = {
      ...server,
      endpoint: async (log) => {
        await new Promise((r) => setTimeout(r, 300));
        return server.endpoint(log);
      },
    };
    const o = await probe({
      version: 'TLSv1.3',
      server: slow,
      client: clientSide('reference client', referenceClient('TLSv1.3'), materialFor(pki, 'client')),
      timeoutMs: 400,
    });
    expect(o.verdict).toBe('accepted');
    expect(o.evidence.firstTry).toBeUndefined();
  });

  it("a program's account trails its answer: once it has shown a sentinel, it is awaited on every probe", async () => {
    // Answers at once, prints what it received 100 ms later (as output through a pipe may trail).
    const script =
      "const tls = require('tls'); const fs = require('fs'); const [cert, key, ca, port] = process.argv.slice(1);" +
      'tls.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key), ca: fs.readFileSync(ca), ' +
      'requestCert: true, rejectUnauthorized: true }, (s) => s.once("data", (d) => { s.end("ACK " + d); ' +
      'setTimeout(() => console.log("got " + d), 100); })).listen(Number(port), "127.0.0.1");';
    const role: CommandServerRole = {
      kind: 'command',
      command: ['node', '-e', script, '{cert}', '{key}', '{ca}', '{port}'],
    };
    const servers = new Map<string, CommandServer>();
    try {
      const reasons = [];
      for (let i = 0; i < 3; i++) {
        const o = await probe({
          version: 'TLSv1.3',
          server: serverSide('target trailing (server)', role, materialFor(pki, 'server'), servers),
          client: clientSide('reference client', referenceClient('TLSv1.3'), materialFor(pki, 'client')),
        });
        expect(o.verdict).toBe('accepted');
        reasons.push(o.reason);
      }
      // The first probe, settled by the client's evidence, may not wait; the later ones do.
      const later = reasons.slice(1);
      expect(later.filter((r) => !r.startsWith('the sentinel reached the server program'))).toEqual([]);
    } finally {
      for (const s of servers.values()) await s.stop();
    }
  });

  /** An SMTP server that accepts and never greets; `run` probes it; its connections are counted. */
  const silentMta = async (run: (side: ServerSide) => Promise<void>): Promise<number> => {
    const held = new Set<net.Socket>();
    // Never greets; the probe's end of it resets the socket.
    const silent = net.createServer((s) => held.add(s.on('error', () => {})));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const endpoint = { kind: 'endpoint', host: '127.0.0.1', port, protocol: 'smtp' } as const;
      await run(serverSide('silent MTA', endpoint, materialFor(pki, 'server'), new Map()));
      return held.size;
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  };

  it.each([
    ['untampered', undefined],
    ['tampered (nothing reached TLS to alter)', { direction: 'c2s', record: 'handshake' } as const],
  ])('an SMTP server that never greets, %s: a stall before TLS, tried again, never a refusal', async (_, tamper) => {
    const connections = await silentMta(async (server) => {
      const o = await probe({
        version: 'TLSv1.3',
        server,
        client: clientSide('reference client', referenceClient('TLSv1.3'), materialFor(pki, 'client')),
        tamper,
        timeoutMs: 300,
      });
      expect(o.verdict).toBe('inconclusive');
      expect(o.reason).toMatch(/^the server's smtp opening before TLS did not finish within 900 ms \(0 bytes in clear/);
      expect(o.evidence.firstTry).toMatch(/within 300 ms/);
    });
    expect(connections).toBe(2);
  });

  it(
    'an SMTP server that never greets a hand-written ClientHello: a stall, tried again, never "closed without a ' +
      'ServerHello"',
    async () => {
      const connections = await silentMta(async (server) => {
        const o = await probe({
          version: 'TLSv1.2',
          server,
          client: helloClientSide('hand-written ClientHello', clientHello({ suites: GOOD_TLS12_SUITES })),
          judge: 'server-hello',
          timeoutMs: 300,
        });
        expect(o.verdict).toBe('inconclusive');
        expect(o.reason).toMatch(/^the server's smtp opening before TLS did not finish within 900 ms/);
        expect(o.evidence.firstTry).toMatch(/within 300 ms/);
      });
      expect(connections).toBe(2);
    },
  );

  it('a peer that accepts TCP and never answers: the client gives up at the deadline, with what it saw', async () => {
    const held = new Set<net.Socket>();
    const silent = net.createServer((s) => held.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const deadline = AbortSignal.timeout(300);
    const seen: string[] = [];
    const obs = await runNodeClient(
      'client',
      referenceClient('TLSv1.3'),
      materialFor(pki, 'client'),
      {
        host: '127.0.0.1',
        port: (silent.address() as net.AddressInfo).port,
        name: '127.0.0.1',
        payload: Buffer.from('x'),
        signal: deadline,
      },
      (e) => seen.push(e),
    );
    expect(obs.handshake).toBe(false);
    expect(seen).toContain('client: deadline reached');
    for (const s of held) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('a tamper that finds no record to alter is inconclusive', async () => {
    const o = await probe({
      version: 'TLSv1.2',
      server: nodeServerSide('s', strictServer, materialFor(pki, 'server')),
      client: clientSide('c', referenceClient('TLSv1.2'), materialFor(pki, 'client')),
      tamper: { direction: 'c2s', record: 'application_data', minLength: 15_000 },
    });
    expect(o.verdict).toBe('inconclusive');
    expect(o.reason).toMatch(/nothing was altered/);
  });

  // The evidence of the server's handshake: an OCSP response stapled (the reference client asks
  // for one) and, on TLS 1.2, secure renegotiation indicated (RFC 5746).
  describe.each(['TLSv1.2', 'TLSv1.3'] as const)('stapling and renegotiation evidence on %s', (version) => {
    const good = (server: ServerSide) =>
      probe({
        version,
        server,
        client: clientSide('reference client', referenceClient(version), materialFor(pki, 'client')),
      });

    it('a server that staples: the response reaches the reference client, its size in the evidence', async () => {
      // s_server staples the file it is given; an OCSPResponse that only says malformedRequest is enough to carry.
      const servers = new Map<string, CommandServer>();
      const role: CommandServerRole = {
        kind: 'command',
        command: [
          'sh',
          '-c',
          "printf '\\060\\003\\012\\001\\001' > ocsp.der && exec openssl s_server -accept 127.0.0.1:{port} -cert " +
            '{cert} -key {key} -CAfile {ca} -Verify 1 -status_file ocsp.der -rev',
        ],
      };
      try {
        const o = await good(serverSide('s_server -status_file', role, materialFor(pki, 'server'), servers));
        expect(o.verdict, o.reason).toBe('accepted');
        expect(o.evidence.client.ocspStapled).toBe(5);
        expect(o.evidence.negotiated.secureRenegotiation).toBe(version === 'TLSv1.2' ? true : undefined);
      } finally {
        for (const s of servers.values()) await s.stop();
      }
    });

    it('a server that does not staple: none in the evidence', async () => {
      const o = await good(nodeServerSide('s', strictServer, materialFor(pki, 'server')));
      expect(o.verdict).toBe('accepted');
      expect(o.evidence.client.ocspStapled).toBeUndefined();
    });
  });
});
