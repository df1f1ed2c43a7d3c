/**
 * `mysql` (MySQL and MariaDB): the client/server protocol (MySQL's "Connection Phase"). The
 * server speaks first, a Handshake v10 whose capabilities carry CLIENT_SSL when it offers TLS;
 * the client answers with an SSLRequest packet, TLS, then its HandshakeResponse41.
 * Accepted: OK, AuthSwitchRequest or AuthMoreData (the server went on with the client). Refused:
 * ERR, quoted (1045 "Access denied" is how a server whose user REQUIREs X509 refuses a client
 * without a certificate: after TLS, not with an alert).
 */
import { PreambleError } from './preamble.js';
import type { AnswerReading, AppProtocol, OptionChecks } from './types.js';

export const CLIENT = {
  LONG_PASSWORD: 0x1,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  TRANSACTIONS: 0x2000,
  SECURE_CONNECTION: 0x8000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
} as const;
const CAPABILITIES =
  CLIENT.LONG_PASSWORD |
  CLIENT.PROTOCOL_41 |
  CLIENT.SSL |
  CLIENT.TRANSACTIONS |
  CLIENT.SECURE_CONNECTION |
  CLIENT.PLUGIN_AUTH |
  CLIENT.CONNECT_ATTRS;
const UTF8MB4 = 45;
const MAX_PACKET = 16 * 1024 * 1024;
const TLS_HANDSHAKE = 0x16;

export interface MysqlOptions {
  /** The user the HandshakeResponse names, without a password (default `mtls`): one authenticated by certificate. */
  user?: string;
}
export const MYSQL_OPTIONS: OptionChecks = {
  user: (v) => (typeof v === 'string' && v.length > 0 && !v.includes('\0') ? undefined : 'a non-empty string'),
};

export function packet(sequence: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = sequence;
  return Buffer.concat([head, payload]);
}
const packetLength = (head: Buffer) => 4 + head.readUIntLE(0, 3);

/** The fixed part of an SSLRequest and of a HandshakeResponse41: capabilities, max packet, charset, 23 zeros. */
function clientHead(): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(CAPABILITIES, 0);
  b.writeUInt32LE(MAX_PACKET, 4);
  b[8] = UTF8MB4;
  return b;
}

function lenenc(n: number): Buffer {
  if (n < 251) return Buffer.from([n]);
  const b = Buffer.alloc(3);
  b[0] = 0xfc;
  b.writeUInt16LE(n, 1);
  return b;
}
const lenencString = (s: string) => Buffer.concat([lenenc(Buffer.byteLength(s)), Buffer.from(s)]);

export const sslRequest = (): Buffer => packet(1, clientHead());

/**
 * The HandshakeResponse41 (sequence 2, after the SSLRequest): the user, an empty auth response
 * under mysql_native_password, and the sentinel as the connection attribute `program_name`
 * (a size pads another attribute).
 */
export function handshakeResponse(sentinel: string, options: MysqlOptions = {}, size = 0): Buffer {
  const attrs = [lenencString('program_name'), lenencString(sentinel)];
  const bare = 32 + Buffer.byteLength(options.user ?? 'mtls') + 60 + sentinel.length;
  if (size > bare) attrs.push(lenencString('mtls_pad'), lenencString('.'.repeat(size - bare)));
  const attributes = Buffer.concat(attrs);
  return packet(
    2,
    Buffer.concat([
      clientHead(),
      Buffer.from(`${options.user ?? 'mtls'}\0`),
      Buffer.from([0]), // auth response: empty
      Buffer.from('mysql_native_password\0'),
      lenenc(attributes.length),
      attributes,
    ]),
  );
}

/** What a server's greeting says: its version and whether it offers TLS. */
export function readGreeting(p: Buffer): { version: string; tls: boolean } | { error: string } {
  const payload = p.subarray(4);
  if (payload[0] === 0xff) return { error: readErr(payload) };
  const end = payload.indexOf(0, 1);
  const version = payload.subarray(1, end).toString('latin1');
  const capsLow = payload.readUInt16LE(end + 1 + 4 + 8 + 1);
  return { version, tls: (capsLow & CLIENT.SSL) !== 0 };
}

function readErr(payload: Buffer): string {
  const code = payload.length >= 3 ? payload.readUInt16LE(1) : 0;
  const state = payload[3] === 0x23 /* # */ ? payload.subarray(4, 9).toString('latin1') : '';
  const message = payload.subarray(state ? 9 : 3).toString('utf8');
  return `ERR ${code}${state ? ` (${state})` : ''} ${JSON.stringify(message)}`;
}

/** A Handshake v10 with TLS offered or not (the downgrade check). */
export function greeting(tls: boolean): Buffer {
  const caps = CAPABILITIES & ~(tls ? 0 : CLIENT.SSL);
  const salt = Buffer.from('mtls-conformance-salt').subarray(0, 20);
  const caps4 = Buffer.alloc(4);
  caps4.writeUInt32LE(caps);
  return packet(
    0,
    Buffer.concat([
      Buffer.from([10]),
      Buffer.from('5.5.5-10.11.0-mtls-conformance\0'),
      Buffer.from([1, 0, 0, 0]),
      salt.subarray(0, 8),
      Buffer.from([0]),
      caps4.subarray(0, 2),
      Buffer.from([UTF8MB4, 2, 0]),
      caps4.subarray(2, 4),
      Buffer.from([21]),
      Buffer.alloc(10),
      salt.subarray(8, 20),
      Buffer.from([0]),
      Buffer.from('mysql_native_password\0'),
    ]),
  );
}

export function errPacket(sequence: number, code: number, state: string, message: string): Buffer {
  const c = Buffer.alloc(2);
  c.writeUInt16LE(code);
  return packet(sequence, Buffer.concat([Buffer.from([0xff]), c, Buffer.from(`#${state}`), Buffer.from(message)]));
}

export function readMysqlAnswer(received: Buffer): AnswerReading | undefined {
  if (received.length < 5) return undefined;
  const payload = received.subarray(4, packetLength(received));
  switch (payload[0]) {
    case 0x00:
      return { verdict: 'accepted', reason: 'the server let the client in (OK)' };
    case 0xfe:
      return {
        verdict: 'accepted',
        reason:
          'the server went on to authenticate the client (AuthSwitchRequest to ' +
          `${JSON.stringify(payload.subarray(1, payload.indexOf(0, 1)).toString('latin1'))}): ` +
          'past the certificate check',
      };
    case 0x01:
      return {
        verdict: 'accepted',
        reason: 'the server went on to authenticate the client (AuthMoreData): past the certificate check',
      };
    case 0xff:
      return { verdict: 'rejected', reason: `the server refused the client in its protocol: ${readErr(payload)}` };
    default:
      return {
        verdict: 'inconclusive',
        reason:
          `the server answered the HandshakeResponse with packet type 0x${payload[0]!.toString(16)}, ` +
          'neither OK, AuthSwitch, AuthMoreData nor ERR',
      };
  }
}

export function mysqlWith(options: MysqlOptions): AppProtocol {
  return {
    name: 'mysql',
    request: (sentinel, _server, size) => handshakeResponse(sentinel, options, size),
    readAnswer: readMysqlAnswer,
    outputShowsSentinel: false,
    async clientPreamble(io) {
      const hello = readGreeting(await io.readFramed(4, packetLength));
      if ('error' in hello) throw new PreambleError(`the server refused the connection before TLS: ${hello.error}`);
      if (!hello.tls)
        throw new PreambleError(`the server (${hello.version}) does not offer TLS: no CLIENT_SSL in its greeting`);
      io.log(`client: greeting from ${hello.version}, TLS offered; SSLRequest sent`);
      io.write(sslRequest());
    },
    async serverPreamble(io, answer) {
      io.write(greeting(answer === 'tls'));
      if (answer === 'decline') return { requested: true };
      const request = await io.readFramed(4, packetLength);
      const requested = request.length >= 8 && (request.readUInt32LE(4) & CLIENT.SSL) !== 0;
      // Not an SSLRequest: a client going on in clear; what it sent stays for the reader.
      if (!requested) io.unread(request);
      return { requested };
    },
    // A refusal whose message a client prints (mariadb: "ERROR 1105 (HY000): <message>"), carrying the sentinel.
    answer: (sentinel, size = 0) =>
      errPacket(
        3,
        1105,
        'HY000',
        `mtls-conformance reference server: ${sentinel}${'.'.repeat(Math.max(0, size - sentinel.length - 50))}`,
      ),
    preambleLength(direction, seen) {
      if (seen.length === 0) return undefined;
      if (direction === 'c2s' && seen[0] === TLS_HANDSHAKE) return 0;
      // One packet each way: the server's greeting, the client's SSLRequest.
      if (seen.length < 4) return undefined;
      const length = packetLength(seen);
      return seen.length < length ? undefined : length;
    },
  };
}

export const mysql = mysqlWith({});
