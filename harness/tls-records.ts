/**
 * TLS framing read from captured bytes, in one place: the records of one direction (RFC 8446
 * §5.1, RFC 5246 §6.2.1) and the handshake messages a record stream carries (§4). The wire tap
 * splits records as they stream (wire.ts); the readers of a capture use these.
 */

/** Which way bytes travel on a connection: client to server, server to client. */
export type Direction = 'c2s' | 's2c';

/** One handshake message: its type and its body (without the 4-byte header). */
export interface HandshakeMessage {
  type: number;
  body: Buffer;
}

/**
 * Calls `visit` with each complete record of `bytes` (its type, its 5-byte header, its body), in
 * order, until one returns false or the bytes end (a trailing partial record is not visited).
 */
export function eachRecord(bytes: Buffer, visit: (type: number, header: Buffer, body: Buffer) => boolean | void): void {
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = bytes.readUInt16BE(at + 3);
    if (at + 5 + length > bytes.length) return;
    const go = visit(bytes[at]!, bytes.subarray(at, at + 5), bytes.subarray(at + 5, at + 5 + length));
    at += 5 + length;
    if (go === false) return;
  }
}

/** The handshake messages of a stream of handshake bytes (records' bodies joined); a partial last one is left out. */
export function handshakeMessages(stream: Buffer): HandshakeMessage[] {
  const messages: HandshakeMessage[] = [];
  for (let i = 0; i + 4 <= stream.length;) {
    const length = stream.readUIntBE(i + 1, 3);
    if (i + 4 + length > stream.length) break;
    messages.push({ type: stream[i]!, body: stream.subarray(i + 4, i + 4 + length) });
    i += 4 + length;
  }
  return messages;
}
