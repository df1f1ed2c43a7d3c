/**
 * The wire tap: a loopback TCP proxy between client and server that splits each direction into
 * TLS records as they pass, keeps every byte for inspection, and can flip one bit of one record.
 */
import net from 'node:net';
import { listenerOf } from './proc-net.js';

import type { Direction } from './tls-records.js';
import type { AppProtocol } from './protocols/types.js';
export type { Direction };

export const RECORD_TYPES: Record<number, string> = {
  20: 'change_cipher_spec',
  21: 'alert',
  22: 'handshake',
  23: 'application_data',
};

/** `connection`: which TCP connection of the probe carried it (0 first; a client that retries makes more). */
export interface TlsRecord {
  direction: Direction;
  type: number;
  version: number;
  length: number;
  connection: number;
}

export interface Tamper {
  direction: Direction;
  /**
   * 'handshake': the first handshake record (ClientHello or ServerHello); the bit flipped is in
   * the hello's random, so only the transcript changes.
   * 'application_data': the first application_data record of at least `minLength` bytes. TLS 1.3
   * also carries encrypted handshake messages in application_data records; the probe makes the
   * sender's payload larger than any of those, so the length picks out the payload's record.
   */
  record: 'handshake' | 'application_data';
  minLength?: number;
}

export interface Tampered {
  direction: Direction;
  recordIndex: number;
  type: string;
  length: number;
  bodyOffset: number;
  connection: number;
}

export interface WireCapture {
  /** Each direction's TLS bytes: what follows the protocol's preamble (all of it without one). */
  bytes: Record<Direction, Buffer>;
  /** Each direction's clear bytes before TLS (an SSLRequest, a greeting); empty without a preamble. */
  preamble: Record<Direction, Buffer>;
  records: TlsRecord[];
  /** Anything that was not a well-formed TLS record, per direction. */
  malformed: string[];
  /** Bytes left over at the end of a direction that did not complete a record. */
  trailing: Record<Direction, number>;
  /** The first record altered; every connection of the probe gets the same tamper (`tamperedAll`). */
  tampered?: Tampered;
  tamperedAll: Tampered[];
  connections: number;
}

export interface Tap {
  host: string;
  port: number;
  capture(): WireCapture;
  close(): Promise<void>;
}

/**
 * Close with RST (no TIME_WAIT on either end). Only a fully open socket is reset: Node 20.20's
 * resetAndDestroy() on a socket whose writable side has ended spins its thread at 100% CPU; such a
 * socket is destroyed instead.
 */
function reset(s: net.Socket): void {
  if (!s.destroyed && !s.writableEnded && (s.readyState === 'open' || s.readyState === 'writeOnly'))
    s.resetAndDestroy();
  else s.destroy();
}

const HELLO_RANDOM_OFFSET = 4 /* handshake header */ + 2; /* legacy_version */
const MAX_RECORD = 16384 + 2048;

class RecordSplitter {
  private header = Buffer.alloc(5);
  private headerFill = 0;
  private remaining = 0;
  private flipAt = -1;
  private bodyPos = 0;
  private broken = false;
  /** The TLS bytes of this direction (after any preamble). */
  readonly chunks: Buffer[] = [];
  /** The clear bytes before TLS (an SSLRequest, a server greeting); empty without a preamble. */
  preamble = Buffer.alloc(0);
  private preambleDone: boolean;

  constructor(
    private direction: Direction,
    private tap: TapState,
    private conn: ConnectionState,
    private preambleLength?: (seen: Buffer) => number | undefined,
  ) {
    this.preambleDone = !preambleLength;
  }

  /** Returns the bytes to forward: the chunk, with at most one bit flipped (never in a preamble). */
  feed(chunk: Buffer): Buffer {
    if (!this.preambleDone) {
      const seen = Buffer.concat([this.preamble, chunk]);
      const length = this.preambleLength!(seen);
      if (length === undefined) {
        this.preamble = seen;
        return chunk;
      }
      this.preambleDone = true;
      this.preamble = seen.subarray(0, length);
      // What follows the preamble in this chunk goes to the record parser (bytes of earlier chunks
      // were forwarded already: a protocol decides its preamble's length as soon as it can).
      const rest = seen.subarray(length).subarray(-chunk.length);
      const head = chunk.subarray(0, chunk.length - rest.length);
      return rest.length ? Buffer.concat([head, this.feed(rest)]) : chunk;
    }
    const out = Buffer.from(chunk);
    this.chunks.push(Buffer.from(chunk));
    let i = 0;
    while (i < out.length && !this.broken) {
      if (this.remaining === 0) {
        this.header[this.headerFill++] = out[i++]!;
        if (this.headerFill === 5) this.startRecord();
        continue;
      }
      const take = Math.min(this.remaining, out.length - i);
      if (this.flipAt >= this.bodyPos && this.flipAt < this.bodyPos + take) {
        out[i + this.flipAt - this.bodyPos]! ^= 0x01;
        this.flipAt = -1;
      }
      this.bodyPos += take;
      this.remaining -= take;
      i += take;
    }
    return out;
  }

  trailing(): number {
    return this.broken ? 0 : this.headerFill + this.remaining;
  }

  private startRecord(): void {
    const type = this.header[0]!;
    const version = this.header.readUInt16BE(1);
    const length = this.header.readUInt16BE(3);
    this.headerFill = 0;
    if (!(type in RECORD_TYPES) || version < 0x0300 || version > 0x0304 || length === 0 || length > MAX_RECORD) {
      this.tap.malformed.push(`${this.direction}: bytes ${this.header.toString('hex')} are not a TLS record header`);
      this.broken = true;
      return;
    }
    const index =
      this.tap.records.push({ direction: this.direction, type, version, length, connection: this.conn.index }) - 1;
    this.remaining = length;
    this.bodyPos = 0;
    // Each connection is tampered on its own: a client that retries after refusing the altered
    // handshake meets the same alteration again, not a clean connection.
    const t = this.tap.tamper;
    if (t && !this.conn.tampered && t.direction === this.direction) {
      const wanted = t.record === 'handshake' ? type === 22 : type === 23 && length >= (t.minLength ?? 0);
      if (wanted) {
        const bodyOffset = t.record === 'handshake' ? HELLO_RANDOM_OFFSET : Math.floor(length / 2);
        this.flipAt = bodyOffset;
        this.conn.tampered = true;
        this.tap.tampered.push({
          direction: this.direction,
          recordIndex: index,
          type: RECORD_TYPES[type]!,
          length,
          bodyOffset,
          connection: this.conn.index,
        });
      }
    }
  }
}

interface TapState {
  tamper?: Tamper;
  tampered: Tampered[];
  records: TlsRecord[];
  malformed: string[];
}

interface ConnectionState {
  index: number;
  tampered: boolean;
}

/** The harness could not set up a probe (its own tap could not listen): the probe shows nothing about the target. */
export class ProbeSetupError extends Error {
  override name = 'ProbeSetupError';
}

const FIXED_PORT_WAIT_MS = 5000;

/**
 * @param listenPort a fixed port for clients that dial one (0: any free port).
 * @param dialed the loopback name the client dials: the tap listens where it will connect
 *   (`localhost`: 127.0.0.1, and ::1 where the machine has it, as resolvers may try either first).
 */
export async function startTap(
  upstream: { host: string; port: number; fixedPort?: boolean },
  tamper?: Tamper,
  listenPort = 0,
  dialed = '127.0.0.1',
  protocol?: Pick<AppProtocol, 'preambleLength'>,
): Promise<Tap> {
  const state: TapState = { tamper, records: [], malformed: [], tampered: [] };
  const splitters: Record<Direction, RecordSplitter[]> = { c2s: [], s2c: [] };
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };

  const fixedUp = upstream.fixedPort === true;
  const fixedDown = listenPort !== 0;
  // allowHalfOpen, toward fixed ports: Node must not send a FIN of its own when one arrives; the tap decides, so that
  // no socket on a program's fixed port ends in TIME_WAIT (the first to send FIN does), which
  // would make the program's next bind() without SO_REUSEADDR fail for a minute, as the
  // document's server.py's would. Toward a fixed port the tap answers a FIN with RST, and a
  // server's FIN is not relayed to a client on a fixed port: it has the close_notify and closes.
  const halfOpen = fixedUp || fixedDown;
  const server = net.createServer({ allowHalfOpen: halfOpen }, (downstream) => {
    track(downstream);
    const up = net.connect({ host: upstream.host, port: upstream.port, noDelay: true, allowHalfOpen: halfOpen });
    track(up);
    // The tap relays each TLS flight as it comes; Nagle would hold small records back.
    downstream.setNoDelay(true);
    const conn: ConnectionState = { index: splitters.c2s.length, tampered: false };
    // TLS starts after the protocol's preamble, if it has one, in each direction.
    const lengthOf = (d: Direction) =>
      protocol?.preambleLength ? (seen: Buffer) => protocol.preambleLength!(d, seen) : undefined;
    const c2s = new RecordSplitter('c2s', state, conn, lengthOf('c2s'));
    const s2c = new RecordSplitter('s2c', state, conn, lengthOf('s2c'));
    splitters.c2s.push(c2s);
    splitters.s2c.push(s2c);
    downstream.on('data', (d) => up.write(c2s.feed(d)));
    up.on('data', (d) => downstream.write(s2c.feed(d)));
    downstream.on('error', () => reset(up));
    up.on('error', () => reset(downstream));
    if (!halfOpen) {
      // Half-closes pass through, so each peer sees exactly what the other did (FIN or RST).
      downstream.on('end', () => up.end());
      up.on('end', () => downstream.end());
      downstream.on('close', () => up.destroySoon());
      up.on('close', () => downstream.destroySoon());
      return;
    }
    // The client has finished (it has its answer, or gave up): a FIN relayed to a fixed-port
    // program could cross the program's own FIN, and a simultaneous close leaves TIME_WAIT on
    // both ends; a reset cannot.
    downstream.on('end', () => {
      if (fixedUp) reset(up);
      else up.end();
      downstream.end();
    });
    up.on('end', () => {
      if (fixedUp) reset(up);
      else up.end();
      if (!fixedDown) downstream.end();
    });
    downstream.on('close', () => {
      if (!up.destroyed) {
        if (fixedUp) reset(up);
        else up.end();
      }
    });
    up.on('close', () => {
      if (!fixedDown && !downstream.destroyed) downstream.end();
    });
  });
  // A fixed port may be held for a moment by whatever used it last: a program on its way out, or
  // a program this process is spawning, which holds a copy of every descriptor (the last tap's
  // listening socket too) between its fork and its exec. A bounded wait, then the error names who
  // holds it.
  const primary = dialed === '::1' ? '::1' : '127.0.0.1';
  const waitUntil = performance.now() + (listenPort ? FIXED_PORT_WAIT_MS : 0);
  for (;;) {
    const failure = await listenOn(server, listenPort, primary);
    if (!failure) break;
    if (failure.code !== 'EADDRINUSE' || performance.now() > waitUntil) {
      const holder = failure.code === 'EADDRINUSE' ? listenerOf(listenPort) : undefined;
      throw new ProbeSetupError(
        `the wire tap cannot listen on ${primary}:${listenPort}: ` +
          `${failure.message}${holder ? ` (held by ${holder})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const { port } = server.address() as net.AddressInfo;
  // A client dialing localhost may resolve ::1 first: the same tap listens there too, if it can.
  const servers = [server];
  if (dialed.toLowerCase() === 'localhost') {
    const also = net.createServer({ allowHalfOpen: halfOpen }, (s) => server.emit('connection', s));
    if (!(await listenOn(also, port, '::1'))) servers.push(also);
  }

  const joined = (d: Direction) => Buffer.concat(splitters[d].flatMap((s) => s.chunks));
  return {
    host: '127.0.0.1',
    port,
    capture: () => ({
      bytes: { c2s: joined('c2s'), s2c: joined('s2c') },
      preamble: {
        c2s: Buffer.concat(splitters.c2s.map((s) => s.preamble)),
        s2c: Buffer.concat(splitters.s2c.map((s) => s.preamble)),
      },
      records: [...state.records],
      malformed: [...state.malformed],
      trailing: {
        c2s: splitters.c2s.reduce((n, s) => n + s.trailing(), 0),
        s2c: splitters.s2c.reduce((n, s) => n + s.trailing(), 0),
      },
      tampered: state.tampered[0],
      tamperedAll: [...state.tampered],
      connections: splitters.c2s.length,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        // Toward a fixed port, reset rather than FIN: no TIME_WAIT is left behind. Only a fully
        // open socket is reset: resetAndDestroy() on a half-closed one spins Node (seen on 20.20).
        for (const s of sockets) {
          if (halfOpen) reset(s);
          else s.destroy();
        }
        let open = servers.length;
        for (const s of servers)
          s.close(() => {
            if (--open === 0) resolve();
          });
      }),
  };
}

/** One attempt to listen; leaves no listener behind either way (a fixed port is retried many times). */
function listenOn(server: net.Server, port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const failed = (err: NodeJS.ErrnoException) => {
      server.off('listening', listening);
      resolve(err);
    };
    const listening = () => {
      server.off('error', failed);
      resolve(undefined);
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, host);
  });
}
