/**
 * `postgres`: PostgreSQL's wire protocol 3.0 (PostgreSQL docs, "Frontend/Backend Protocol",
 * §55.2.10 SSL Session Encryption). Before TLS the client sends an SSLRequest and the server
 * answers one byte, `S` (TLS follows) or `N` (no TLS). After TLS the client sends a
 * StartupMessage; the server answers with an authentication request or an ErrorResponse.
 * Accepted: any authentication request (AuthenticationOk, or a password or SASL prompt: the
 * client got past the certificate check). Refused: an ErrorResponse (SQLSTATE 28000 is how
 * `cert` authentication and `clientcert=verify-full` refuse), quoted.
 */
import { PreambleError } from './preamble.js';
import type { AnswerReading, AppProtocol, OptionChecks } from './types.js';

export const SSL_REQUEST = Buffer.from('0000000804d2162f', 'hex');
const GSSENC_REQUEST = Buffer.from('0000000804d21630', 'hex');
const PROTOCOL_3_0 = 196608;
const TLS_HANDSHAKE = 0x16;

export interface PostgresOptions {
  /** The role the StartupMessage names (default `postgres`). */
  user?: string;
  /** The database (default: the user's name). */
  database?: string;
}
const isName = (v: unknown) =>
  typeof v === 'string' && v.length > 0 && !v.includes('\0') ? undefined : 'a non-empty string without NUL';
export const POSTGRES_OPTIONS: OptionChecks = { user: isName, database: isName };

const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');

/** A frontend message: its type byte (none for the StartupMessage), a length, the body. */
function message(type: string | undefined, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length + 4);
  return Buffer.concat([...(type ? [Buffer.from(type, 'latin1')] : []), length, body]);
}

/**
 * The StartupMessage, the sentinel as `application_name` (a server's log and pg_stat_activity
 * show it). A size pads with a simple Query that follows it (the server reads it only after
 * answering the startup, and a StartupMessage may not exceed 10000 bytes).
 */
export function startupMessage(sentinel: string, options: PostgresOptions = {}, size = 0): Buffer {
  const user = options.user ?? 'postgres';
  const version = Buffer.alloc(4);
  version.writeUInt32BE(PROTOCOL_3_0);
  const params = [
    ['user', user],
    ['database', options.database ?? user],
    ['application_name', sentinel],
  ].flatMap(([k, v]) => [cstr(k!), cstr(v!)]);
  const startup = message(undefined, Buffer.concat([version, ...params, Buffer.from([0])]));
  if (size <= startup.length) return startup;
  const query = `SELECT 1 -- ${'.'.repeat(Math.max(0, size - startup.length - 20))}`;
  return Buffer.concat([startup, message('Q', cstr(query))]);
}

/** An ErrorResponse's fields by their code: S severity, C SQLSTATE, M message, D detail. */
export function errorFields(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let at = 0; at < body.length && body[at] !== 0;) {
    const end = body.indexOf(0, at + 1);
    if (end < 0) break;
    fields[String.fromCharCode(body[at]!)] = body.subarray(at + 1, end).toString('utf8');
    at = end + 1;
  }
  return fields;
}

export function errorResponse(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([
    ...Object.entries(fields).map(([k, v]) => Buffer.concat([Buffer.from(k, 'latin1'), cstr(v)])),
    Buffer.from([0]),
  ]);
  return message('E', body);
}

const AUTH_REQUESTS: Record<number, string> = {
  0: 'AuthenticationOk',
  2: 'AuthenticationKerberosV5',
  3: 'AuthenticationCleartextPassword',
  5: 'AuthenticationMD5Password',
  7: 'AuthenticationGSS',
  9: 'AuthenticationSSPI',
  10: 'AuthenticationSASL',
};

export function readPostgresAnswer(received: Buffer): AnswerReading | undefined {
  if (received.length === 0) return undefined;
  const type = String.fromCharCode(received[0]!);
  if (type === 'R' && received.length >= 9) {
    const code = received.readUInt32BE(5);
    const what = AUTH_REQUESTS[code] ?? `authentication request ${code}`;
    return {
      verdict: 'accepted',
      reason:
        code === 0
          ? 'the server let the client in (AuthenticationOk)'
          : `the server went on to authenticate the client in its own protocol (${what}): past the certificate check`,
    };
  }
  if (type === 'E') {
    const f = errorFields(received.subarray(5, 1 + (received.length >= 5 ? received.readUInt32BE(1) : 0)));
    return {
      verdict: 'rejected',
      reason:
        `the server refused the client in its protocol: ${f.S ?? 'ERROR'} ${f.C ?? '?'} ` + JSON.stringify(f.M ?? ''),
    };
  }
  return {
    verdict: 'inconclusive',
    reason:
      'the server answered the StartupMessage with neither an authentication request nor an ErrorResponse ' +
      `(${JSON.stringify(received.subarray(0, 24).toString('latin1'))})`,
  };
}

export function postgresWith(options: PostgresOptions): AppProtocol {
  return {
    name: 'postgres',
    request: (sentinel, _server, size) => startupMessage(sentinel, options, size),
    readAnswer: readPostgresAnswer,
    outputShowsSentinel: false,
    async clientPreamble(io) {
      io.write(SSL_REQUEST);
      const [answer] = await io.read(1);
      if (answer === 0x53 /* S */) return io.log('client: the server answered the SSLRequest with S');
      throw new PreambleError(
        answer === 0x4e /* N */
          ? 'the server answered the SSLRequest with N: it does not offer TLS'
          : `the server answered the SSLRequest with byte 0x${answer!.toString(16)}, neither S nor N`,
      );
    },
    async serverPreamble(io, answer) {
      for (;;) {
        const first = await io.read(1);
        // A client that starts TLS at once (PostgreSQL 17's sslnegotiation=direct) asks nothing.
        if (first[0] === TLS_HANDSHAKE) {
          io.unread(first);
          return { requested: false };
        }
        const request = Buffer.concat([first, await io.read(7)]);
        if (request.equals(GSSENC_REQUEST)) {
          io.write(Buffer.from('N'));
          continue;
        }
        if (!request.equals(SSL_REQUEST)) {
          io.unread(request);
          return { requested: false };
        }
        io.write(Buffer.from(answer === 'tls' ? 'S' : 'N'));
        io.log(`server: answered the SSLRequest with ${answer === 'tls' ? 'S' : 'N'}`);
        return { requested: true };
      }
    },
    // A refusal whose message a client prints (psql: "FATAL:  <message>"), carrying the sentinel.
    answer: (sentinel, size = 0) =>
      errorResponse({
        S: 'FATAL',
        V: 'FATAL',
        C: '08004',
        M: `mtls-conformance reference server: ${sentinel}${'.'.repeat(Math.max(0, size - sentinel.length - 40))}`,
      }),
    preambleLength(direction, seen) {
      if (seen.length === 0) return undefined;
      if (seen[0] === TLS_HANDSHAKE) return 0;
      if (direction === 's2c') {
        // `N` to a GSSENCRequest may come before the `S`.
        if (seen[0] === 0x53) return 1;
        if (seen[0] !== 0x4e) return 0;
        return seen.length < 2 ? undefined : seen[1] === 0x53 ? 2 : 1;
      }
      // SSLRequests (after a declined GSSENCRequest), each 8 bytes, until TLS or anything else.
      for (let at = 0; ; at += 8) {
        const part = seen.subarray(at, at + 8);
        if (part.length === 0) return undefined;
        if (part[0] === TLS_HANDSHAKE) return at;
        const begins = (r: Buffer) => r.subarray(0, part.length).equals(part);
        if (!begins(SSL_REQUEST) && !begins(GSSENC_REQUEST)) return at;
        if (part.length < 8) return undefined;
      }
    },
  };
}

export const postgres = postgresWith({});
