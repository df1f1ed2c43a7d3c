/** The wire tap: records by TLS record, flips exactly one bit where asked, flags non-TLS bytes. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ProbeSetupError, startTap, type Tamper } from '../harness/wire.js';
import { protocolOf } from '../harness/protocols/index.js';
import { SSL_REQUEST } from '../harness/protocols/postgres.js';
import type { AppProtocol } from '../harness/protocols/types.js';

/** A TLS-shaped byte stream: records of the given types and lengths, bodies of zeros. */
const records = (...rs: Array<[type: number, length: number]>) =>
  Buffer.concat(
    rs.map(([type, length]) =>
      Buffer.concat([Buffer.from([type, 3, 3, length >> 8, length & 255]), Buffer.alloc(length)]),
    ),
  );

/** Sends `bytes` through a tap to an upstream that collects what arrives. */
async function relay(bytes: Buffer, tamper?: Tamper, chunk = 7, protocol?: AppProtocol) {
  let received = Buffer.alloc(0);
  let gotAll!: () => void;
  const done = new Promise<void>((r) => {
    gotAll = r;
  });
  const upstream = net.createServer((s) =>
    s.on('data', (d) => {
      received = Buffer.concat([received, d]);
      if (received.length >= bytes.length) gotAll();
    }),
  );
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const at = { host: '127.0.0.1', port: (upstream.address() as net.AddressInfo).port };
  const tap = await startTap(at, tamper, 0, '127.0.0.1', protocol);
  const client = net.connect(tap.port, tap.host);
  await new Promise((r) => client.once('connect', r));
  // Split writes so record headers straddle chunk boundaries.
  for (let i = 0; i < bytes.length; i += chunk) client.write(bytes.subarray(i, i + chunk));
  await done;
  const capture = tap.capture();
  client.destroy();
  await tap.close();
  await new Promise((r) => upstream.close(r));
  return { received, capture };
}

describe('wire tap', () => {
  it("finds TLS after a protocol's clear preamble (PostgreSQL's SSLRequest), in any chunking", async () => {
    const tls = records([22, 300], [23, 40]);
    for (const chunk of [3, 7, 8, 9, 400]) {
      const bytes = Buffer.concat([SSL_REQUEST, tls]);
      const { received, capture } = await relay(bytes, undefined, chunk, protocolOf('postgres'));
      expect(received.equals(bytes), `chunk ${chunk}`).toBe(true);
      expect(capture.preamble.c2s).toEqual(SSL_REQUEST);
      expect(capture.bytes.c2s).toEqual(tls);
      expect(capture.records.map((r) => [r.type, r.length])).toEqual([
        [22, 300],
        [23, 40],
      ]);
      expect(capture.malformed).toEqual([]);
    }
    // Without the protocol, the same bytes are not TLS.
    const { capture } = await relay(Buffer.concat([SSL_REQUEST, tls]));
    expect(capture.malformed[0]).toMatch(/are not a TLS record header/);
  });

  it('splits a stream into records across chunk boundaries and forwards it unchanged', async () => {
    const bytes = records([22, 300], [20, 1], [23, 40], [23, 5000], [21, 2]);
    const { received, capture } = await relay(bytes);
    expect(received.equals(bytes)).toBe(true);
    expect(capture.records.map((r) => [r.type, r.length])).toEqual([
      [22, 300],
      [20, 1],
      [23, 40],
      [23, 5000],
      [21, 2],
    ]);
    expect(capture.malformed).toEqual([]);
    expect(capture.trailing).toEqual({ c2s: 0, s2c: 0 });
    expect(capture.tampered).toBeUndefined();
  });

  it('flips exactly one bit, in the first application_data record of at least minLength bytes', async () => {
    const bytes = records([22, 300], [23, 40], [23, 5000], [23, 6000]);
    const { received, capture } = await relay(bytes, { direction: 'c2s', record: 'application_data', minLength: 4000 });
    const diff = [...received]
      .map((b, i) => b ^ bytes[i]!)
      .map((x, i) => [i, x] as const)
      .filter(([, x]) => x !== 0);
    const recordStart = 305 + 45;
    expect(diff).toEqual([[recordStart + 5 + 2500, 1]]);
    expect(capture.tampered).toMatchObject({
      direction: 'c2s',
      recordIndex: 2,
      type: 'application_data',
      length: 5000,
      bodyOffset: 2500,
    });
  });

  it('flips a bit of the hello random in the first handshake record', async () => {
    const bytes = records([22, 300], [22, 300]);
    const { received, capture } = await relay(bytes, { direction: 'c2s', record: 'handshake' });
    const diff = [...received]
      .map((b, i) => b ^ bytes[i]!)
      .map((x, i) => [i, x] as const)
      .filter(([, x]) => x !== 0);
    expect(diff).toEqual([[5 + 6, 1]]);
    expect(capture.tampered?.recordIndex).toBe(0);
  });

  it('does nothing when no record matches, and says so', async () => {
    const { capture } = await relay(records([23, 40]), {
      direction: 'c2s',
      record: 'application_data',
      minLength: 4000,
    });
    expect(capture.tampered).toBeUndefined();
  });

  it('flags bytes that are not TLS records (plaintext on the wire)', async () => {
    const { capture } = await relay(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(capture.malformed).toHaveLength(1);
    expect(capture.malformed[0]).toMatch(/^c2s: bytes 474554202f are not a TLS record header/);
  });
});

describe("the tap on a fixed port (a client program that dials the tutorial's 8443)", () => {
  /** A port of its own for the test: free when asked, then held by a listener of this process. */
  async function held(): Promise<{ port: number; release: () => Promise<void> }> {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    return {
      port: (holder.address() as net.AddressInfo).port,
      release: () => new Promise((r) => holder.close(() => r())),
    };
  }

  it('waits, bounded, for a port that whatever used it last is about to give back', async () => {
    const { port, release } = await held();
    setTimeout(() => void release(), 300);
    const tap = await startTap({ host: '127.0.0.1', port: 1 }, undefined, port);
    expect(tap.port).toBe(port);
    await tap.close();
  });

  it('a port that stays taken: a harness error naming who holds it, not a verdict on the target', async () => {
    const { port, release } = await held();
    try {
      const err = await startTap({ host: '127.0.0.1', port: 1 }, undefined, port).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProbeSetupError);
      expect((err as Error).message).toMatch(
        new RegExp(`cannot listen on 127.0.0.1:${port}: .*EADDRINUSE.*held by pid ${process.pid} \\(this run\\)`),
      );
    } finally {
      await release();
    }
  });
});
