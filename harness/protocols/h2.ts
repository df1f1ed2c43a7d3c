/**
 * `h2` (HTTP/2, ALPN `h2`) and `grpc` (gRPC over HTTP/2: the standard health check,
 * grpc.health.v1.Health/Check, or a method the options name). As the harness's client: the
 * connection preface, SETTINGS, one request on stream 1 (the sentinel in `x-mtls-probe`), then the
 * exchange until stream 1 ends (SETTINGS and PING answered). The answer decides: h2 by `:status`
 * as `http` does; gRPC by `:status 200` with any `grpc-status` but UNAUTHENTICATED (16) and
 * PERMISSION_DENIED (7), which are refusals. A server that refuses a client certificate by closing
 * right after the handshake, before any frame (a Node gRPC server), refuses under the probe's rule.
 * As the harness's server: SETTINGS, then a 200 answer (for gRPC, a SERVING health response, the
 * sentinel in its trailers' `grpc-message`) on the client's first stream.
 */
import { encodeHeaders, HpackDecoder, HpackError } from './hpack.js';
import { CERTIFICATE_REJECTIONS } from './http.js';
import type { AnswerReading, AppProtocol, OptionChecks, PreambleIo } from './types.js';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, CONTINUATION: 9 } as const;
const FLAG = { END_STREAM: 1, ACK: 1, END_HEADERS: 4, PADDED: 8, PRIORITY: 0x20 } as const;
/** RFC 9113 §7 error codes, for the evidence. */
const H2_ERRORS = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];
const h2Error = (code: number) => H2_ERRORS[code] ?? `error ${code}`;
/** gRPC status codes that refuse the caller (the rest are the service's answers). */
const GRPC_REFUSALS: Record<number, string> = { 16: 'UNAUTHENTICATED', 7: 'PERMISSION_DENIED' };
export const HEALTH_CHECK = '/grpc.health.v1.Health/Check';

export function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

interface Frame {
  type: number;
  flags: number;
  stream: number;
  payload: Buffer;
}

/** The whole frames in `bytes` (a trailing partial one is left out), after a client preface if any. */
export function framesOf(bytes: Buffer): Frame[] {
  let at = bytes.subarray(0, PREFACE.length).equals(PREFACE) ? PREFACE.length : 0;
  const frames: Frame[] = [];
  while (at + 9 <= bytes.length) {
    const length = bytes.readUIntBE(at, 3);
    if (at + 9 + length > bytes.length) break;
    frames.push({
      type: bytes[at + 3]!,
      flags: bytes[at + 4]!,
      stream: bytes.readUInt32BE(at + 5) & 0x7fffffff,
      payload: bytes.subarray(at + 9, at + 9 + length),
    });
    at += 9 + length;
  }
  return frames;
}

/** A HEADERS payload without its padding and priority fields: the header block fragment. */
function fragmentOf(f: Frame): Buffer {
  let p = f.payload;
  let pad = 0;
  if (f.flags & FLAG.PADDED) {
    pad = p[0]!;
    p = p.subarray(1);
  }
  if (f.type === FRAME.HEADERS && f.flags & FLAG.PRIORITY) p = p.subarray(5);
  return p.subarray(0, p.length - pad);
}

/** What came back on one stream: its header blocks in order (the response's, then trailers), data, how it ended. */
export interface StreamAnswer {
  blocks: Array<Record<string, string>>;
  data: Buffer;
  ended: boolean;
  reset?: string;
  goaway?: { error: string; debug: string };
  /** The header blocks could not be decoded. */
  malformed?: string;
}

/** Reads the frames a peer sent, decoding every header block in order (one HPACK context per direction). */
export function readStream(bytes: Buffer, stream?: number): StreamAnswer & { stream?: number } {
  const decoder = new HpackDecoder();
  const answer: StreamAnswer & { stream?: number } = { blocks: [], data: Buffer.alloc(0), ended: false, stream };
  let block: Buffer[] | undefined;
  let blockStream = 0;
  for (const f of framesOf(bytes)) {
    if (f.type === FRAME.GOAWAY) {
      answer.goaway = {
        error: h2Error(f.payload.readUInt32BE(4)),
        debug: f.payload.subarray(8).toString('latin1'),
      };
      continue;
    }
    if (f.type === FRAME.HEADERS || f.type === FRAME.CONTINUATION) {
      if (f.type === FRAME.HEADERS) {
        block = [];
        blockStream = f.stream;
        answer.stream ??= f.stream;
      }
      block?.push(f.type === FRAME.HEADERS ? fragmentOf(f) : f.payload);
      if (f.flags & FLAG.END_HEADERS && block) {
        // Every block goes through the decoder, whatever its stream: the dynamic table is the connection's.
        try {
          const fields = decoder.decode(Buffer.concat(block));
          if (blockStream === answer.stream) answer.blocks.push(Object.fromEntries(fields));
        } catch (err) {
          answer.malformed = err instanceof HpackError ? err.message : String(err);
        }
        block = undefined;
      }
      if (f.stream === answer.stream && f.type === FRAME.HEADERS && f.flags & FLAG.END_STREAM) answer.ended = true;
      continue;
    }
    if (f.stream !== answer.stream || answer.stream === undefined) continue;
    if (f.type === FRAME.DATA) {
      answer.data = Buffer.concat([answer.data, fragmentOf(f)]);
      if (f.flags & FLAG.END_STREAM) answer.ended = true;
    } else if (f.type === FRAME.RST_STREAM) answer.reset = h2Error(f.payload.readUInt32BE(0));
  }
  return answer;
}

/** Options: `protocol: { name: 'h2' | 'grpc', path }` (h2: the path asked for; grpc: the method). */
export interface H2Options {
  path?: string;
}
export const H2_OPTIONS = {
  path: (v: unknown) => (typeof v === 'string' && v.startsWith('/') ? undefined : "a path that starts with '/'"),
} satisfies OptionChecks & Record<keyof H2Options, unknown>;

const CLIENT_SETTINGS = frame(FRAME.SETTINGS, 0, 0, Buffer.from([0, 2, 0, 0, 0, 0])); // ENABLE_PUSH 0

/** A length-prefixed gRPC message (uncompressed). */
function grpcMessage(body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** A protobuf length-delimited field (wire type 2). */
function bytesField(field: number, value: Buffer): Buffer {
  const length: number[] = [];
  for (let n = value.length; ; n >>= 7) {
    if (n < 128) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...length]), value]);
}

/** grpc.health.v1.HealthCheckRequest { service = 1 }: the service asked about (empty: the server). */
function healthRequest(service: string): Buffer {
  return service ? bytesField(1, Buffer.from(service, 'latin1')) : Buffer.alloc(0);
}

function requestOf(
  kind: 'h2' | 'grpc',
  sentinel: string,
  server: { name?: string; port: number },
  size: number,
  options: H2Options,
): Buffer {
  const authority = server.name ? `${server.name}:${server.port}` : `localhost:${server.port}`;
  // A long probe pads what the protocol lets it: an HTTP/2 body, or the health check's service name.
  const body =
    kind === 'grpc'
      ? grpcMessage(healthRequest(size > 0 ? '.'.repeat(size) : ''))
      : size > 0
        ? Buffer.from('.'.repeat(size))
        : Buffer.alloc(0);
  const fields: Array<[string, string]> = [
    [':method', kind === 'grpc' || body.length ? 'POST' : 'GET'],
    [':scheme', 'https'],
    [':authority', authority],
    [':path', options.path ?? (kind === 'grpc' ? HEALTH_CHECK : `/${sentinel}`)],
    ...(kind === 'grpc'
      ? ([
          ['content-type', 'application/grpc'],
          ['te', 'trailers'],
        ] as Array<[string, string]>)
      : []),
    ['x-mtls-probe', sentinel],
  ];
  const headers = frame(
    FRAME.HEADERS,
    FLAG.END_HEADERS | (body.length ? 0 : FLAG.END_STREAM),
    1,
    encodeHeaders(fields),
  );
  const data = body.length ? frame(FRAME.DATA, FLAG.END_STREAM, 1, body) : Buffer.alloc(0);
  return Buffer.concat([PREFACE, CLIENT_SETTINGS, headers, data]);
}

/**
 * The rest of the exchange once the request is out: SETTINGS acknowledged, PINGs answered, until
 * stream 1 ends, is reset, or the server sends GOAWAY (or closes: the read then throws).
 */
async function converse(io: PreambleIo): Promise<void> {
  for (;;) {
    const head = await io.read(9);
    const payload = await io.read(head.readUIntBE(0, 3));
    const [type, flags] = [head[3]!, head[4]!];
    const stream = head.readUInt32BE(5) & 0x7fffffff;
    if (type === FRAME.SETTINGS && !(flags & FLAG.ACK)) io.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
    else if (type === FRAME.PING && !(flags & FLAG.ACK)) io.write(frame(FRAME.PING, FLAG.ACK, 0, payload));
    else if (type === FRAME.GOAWAY) return;
    else if (stream === 1 && (type === FRAME.RST_STREAM || (flags & FLAG.END_STREAM && type <= FRAME.HEADERS))) return;
  }
}

const quote = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/** How an answer without a response on stream 1 reads: the connection's end, if it said why. */
function unanswered(a: StreamAnswer): AnswerReading | undefined {
  if (a.malformed)
    return { verdict: 'inconclusive', reason: `the server's HTTP/2 headers could not be read: ${a.malformed}` };
  if (a.reset) return { verdict: 'rejected', reason: `the server reset the request's stream (RST_STREAM ${a.reset})` };
  if (a.goaway)
    return {
      verdict: 'rejected',
      reason:
        `the server ended the connection with GOAWAY ${a.goaway.error}` +
        (a.goaway.debug ? ` ${quote(a.goaway.debug)}` : ''),
    };
  return undefined;
}

function readH2(received: Buffer): AnswerReading | undefined {
  if (received.length === 0) return undefined;
  const a = readStream(received, 1);
  const head = a.blocks[0];
  if (!head) return unanswered(a);
  const status = Number(head[':status']);
  if (status >= 200 && status < 300) return { verdict: 'accepted', reason: `the server answered :status ${status}` };
  if (CERTIFICATE_REJECTIONS.includes(status))
    return { verdict: 'rejected', reason: `the server refused the request: :status ${status}` };
  return {
    verdict: 'inconclusive',
    reason: `the server answered :status ${head[':status']}, neither 2xx nor a certificate rejection`,
  };
}

function readGrpc(received: Buffer): AnswerReading | undefined {
  if (received.length === 0) return undefined;
  const a = readStream(received, 1);
  const head = a.blocks[0];
  if (!head) return unanswered(a);
  if (head[':status'] !== '200') return readH2(received);
  // Trailers-only (the status in the response headers) or trailers after the messages.
  const trailers = head['grpc-status'] !== undefined ? head : a.blocks[1];
  if (!trailers?.['grpc-status'])
    return {
      verdict: 'inconclusive',
      reason: `the server answered :status 200 and no grpc-status${a.reset ? ` (RST_STREAM ${a.reset})` : ''}`,
    };
  const code = Number(trailers['grpc-status']);
  const message = trailers['grpc-message'] ? ` ${quote(decodeURIComponent(trailers['grpc-message']))}` : '';
  if (GRPC_REFUSALS[code])
    return {
      verdict: 'rejected',
      reason: `the server refused the call: grpc-status ${code} ${GRPC_REFUSALS[code]}${message}`,
    };
  return { verdict: 'accepted', reason: `the server answered the call: :status 200, grpc-status ${code}${message}` };
}

/** As the harness's server, once the request is in: the client's SETTINGS acknowledged, the answer on its stream. */
function answerOf(kind: 'h2' | 'grpc', sentinel: string, size: number, request?: Buffer): Buffer {
  const stream = (request && framesOf(request).find((f) => f.type === FRAME.HEADERS)?.stream) || 1;
  const body =
    kind === 'grpc'
      ? // HealthCheckResponse { status: SERVING }, padded (the record-size probes) with a field its
        // readers skip as unknown.
        grpcMessage(
          Buffer.concat([
            Buffer.from([0x08, 0x01]),
            size > 0 ? bytesField(15, Buffer.alloc(size, '.')) : Buffer.alloc(0),
          ]),
        )
      : Buffer.from(`${sentinel}${'.'.repeat(Math.max(0, size - sentinel.length))}\n`);
  const headers: Array<[string, string]> = [
    [':status', '200'],
    ['content-type', kind === 'grpc' ? 'application/grpc' : 'text/plain'],
    ['x-mtls-answer', sentinel],
  ];
  // (Its own SETTINGS went out as the opening; this acknowledges the client's.)
  return Buffer.concat([
    frame(FRAME.SETTINGS, FLAG.ACK, 0),
    frame(FRAME.HEADERS, FLAG.END_HEADERS, stream, encodeHeaders(headers)),
    frame(FRAME.DATA, kind === 'grpc' ? 0 : FLAG.END_STREAM, stream, body),
    ...(kind === 'grpc'
      ? [
          frame(
            FRAME.HEADERS,
            FLAG.END_HEADERS | FLAG.END_STREAM,
            stream,
            encodeHeaders([
              ['grpc-status', '0'],
              ['grpc-message', sentinel],
            ]),
          ),
        ]
      : []),
  ]);
}

function h2Like(kind: 'h2' | 'grpc', options: H2Options): AppProtocol {
  return {
    name: kind,
    alpn: ['h2'],
    request: (sentinel, server, size = 0) => requestOf(kind, sentinel, server, size, options),
    converse: (io) => converse(io),
    readAnswer: kind === 'grpc' ? readGrpc : readH2,
    status: (received) => {
      const s = readStream(received, 1).blocks[0]?.[':status'];
      return s === undefined ? undefined : Number(s);
    },
    outputShowsSentinel: false,
    opening: frame(FRAME.SETTINGS, 0, 0),
    answer: (sentinel, size = 0, request) => answerOf(kind, sentinel, size, request),
    // The first stream's request, whole: its HEADERS, and for gRPC its message (END_STREAM).
    requestComplete: (received) =>
      framesOf(received).some(
        (f) =>
          f.stream > 0 &&
          (f.type === FRAME.HEADERS || f.type === FRAME.DATA) &&
          (kind === 'h2' ? f.type === FRAME.HEADERS : (f.flags & FLAG.END_STREAM) !== 0),
      ),
  };
}

export const h2 = h2Like('h2', {});
export const grpc = h2Like('grpc', {});
export const h2With = (options: H2Options): AppProtocol => h2Like('h2', options);
export const grpcWith = (options: H2Options): AppProtocol => h2Like('grpc', options);
