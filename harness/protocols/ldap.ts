/**
 * `ldap`: LDAPv3 with StartTLS (RFC 4511 §4.14, RFC 4513 §3). Before TLS the client sends the
 * StartTLS extended request (OID 1.3.6.1.4.1.1466.20037) and the server answers an extended
 * response: success, then TLS. After TLS the harness binds anonymously (a simple bind, RFC 4513
 * §5.1.1), then, once the bind has succeeded (RFC 4511 §4.2.1: nothing may follow a BindRequest
 * until its response), reads the root DSE (RFC 4512 §5.1: a base search of the empty DN), and
 * unbinds. A BindResponse with success is acceptance, the root DSE's entry its evidence; any other
 * bind result, a refused read, or a Notice of Disconnection is the service's refusal, quoted.
 */
import { PreambleError } from './preamble.js';
import type { AnswerReading, AppProtocol, OptionChecks, PreambleIo } from './types.js';

export const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';
const NOTICE_OF_DISCONNECTION_OID = '1.3.6.1.4.1.1466.20036';
/** A control of the harness's own (an X.667 UUID OID), never critical: it carries the sentinel and the padding. */
const PROBE_CONTROL_OID = '2.25.143577066394431437925587386587498390823';
const TLS_HANDSHAKE = 0x16;

export const LDAP_OPTIONS: OptionChecks = {};

const RESULT_NAMES: Record<number, string> = {
  0: 'success',
  1: 'operationsError',
  2: 'protocolError',
  7: 'authMethodNotSupported',
  8: 'strongerAuthRequired',
  13: 'confidentialityRequired',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  80: 'other',
};
const resultName = (code: number) => `${code} ${RESULT_NAMES[code] ?? ''}`.trim();

// BER, as RFC 4511 §5.1 restricts it: definite lengths, primitive strings.
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
export const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
function integer(tag: number, n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}
const str = (tag: number, s: string) => tlv(tag, Buffer.from(s, 'utf8'));

/** One TLV read from `at`: its tag and where its content starts and ends; undefined if incomplete. */
export function readTlv(buf: Buffer, at = 0): { tag: number; start: number; end: number } | undefined {
  if (buf.length < at + 2) return undefined;
  const first = buf[at + 1]!;
  let len = first;
  let start = at + 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || buf.length < start + n) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (buf.length < start + len) return undefined;
  return { tag: buf[at]!, start, end: start + len };
}
const uint = (buf: Buffer, t: { start: number; end: number }) =>
  [...buf.subarray(t.start, t.end)].reduce((v, b) => v * 256 + b, 0);

/** An LDAPMessage: its messageID, the protocolOp's tag and content, where the message ends. */
export interface LdapMessage {
  id: number;
  op: number;
  /** The protocolOp's content. */
  body: Buffer;
  end: number;
}
export function readMessage(buf: Buffer): LdapMessage | undefined {
  const seq = readTlv(buf);
  if (!seq || seq.tag !== 0x30) return undefined;
  const id = readTlv(buf, seq.start);
  if (!id || id.tag !== 0x02) return undefined;
  const op = readTlv(buf, id.end);
  if (!op || op.end > seq.end) return undefined;
  return { id: uint(buf, id), op: op.tag, body: buf.subarray(op.start, op.end), end: seq.end };
}

/** An LDAPResult (the start of every response): resultCode, matchedDN, diagnosticMessage, and what follows. */
export function readResult(body: Buffer): { code: number; diagnostic: string; rest: Buffer } | undefined {
  const code = readTlv(body);
  if (!code || code.tag !== 0x0a) return undefined;
  const dn = readTlv(body, code.end);
  if (!dn) return undefined;
  const diag = readTlv(body, dn.end);
  if (!diag) return undefined;
  return {
    code: uint(body, code),
    diagnostic: body.subarray(diag.start, diag.end).toString('utf8'),
    rest: body.subarray(diag.end),
  };
}
const result = (code: number, diagnostic: string) =>
  Buffer.concat([integer(0x0a, code), str(0x04, ''), str(0x04, diagnostic)]);

export const message = (id: number, op: Buffer, controls?: Buffer): Buffer =>
  tlv(0x30, integer(0x02, id), op, ...(controls ? [controls] : []));

/** The StartTLS extended request: [APPLICATION 23] { requestName [0] }. */
export const startTlsRequest = (id = 1): Buffer => message(id, tlv(0x77, str(0x80, STARTTLS_OID)));

/** An extended response: [APPLICATION 24] { LDAPResult, responseName [10] }. */
export const extendedResponse = (id: number, code: number, diagnostic: string, name?: string): Buffer =>
  message(id, tlv(0x78, result(code, diagnostic), ...(name ? [str(0x8a, name)] : [])));

/**
 * An anonymous simple BindRequest (version 3, empty name and password), with the harness's
 * non-critical control carrying the sentinel (a server ignores a control it does not know and
 * that is not critical, RFC 4511 §4.1.11); `size` pads the control's value.
 */
export function bindRequest(sentinel: string, id = 2, size = 0): Buffer {
  const bind = tlv(0x60, integer(0x02, 3), str(0x04, ''), str(0x80, ''));
  const value = (pad: number) => `${sentinel}${'.'.repeat(pad)}`;
  const control = (pad: number) => tlv(0xa0, tlv(0x30, str(0x04, PROBE_CONTROL_OID), str(0x04, value(pad))));
  const bare = message(id, bind, control(0));
  if (bare.length >= size) return bare;
  // The lengths of the enclosing TLVs grow with the padding: take back what they added.
  let pad = size - bare.length;
  let padded = message(id, bind, control(pad));
  while (padded.length > size) padded = message(id, bind, control((pad -= padded.length - size)));
  return padded;
}

export const bindResponse = (id: number, code: number, diagnostic: string): Buffer =>
  message(id, tlv(0x61, result(code, diagnostic)));

/** The attribute of the root DSE the harness asks for: every LDAPv3 server lists it (RFC 4512 §5.1). */
const ROOT_DSE_ATTRIBUTE = 'supportedLDAPVersion';

/**
 * A SearchRequest for the root DSE: [APPLICATION 3] { baseObject "", scope baseObject,
 * derefAliases never, sizeLimit 0, timeLimit 0, typesOnly FALSE, filter (objectClass=*),
 * attributes supportedLDAPVersion }.
 */
export const rootDseSearch = (id: number): Buffer =>
  message(
    id,
    tlv(
      0x63,
      str(0x04, ''),
      integer(0x0a, 0),
      integer(0x0a, 0),
      integer(0x02, 0),
      integer(0x02, 0),
      tlv(0x01, Buffer.from([0])),
      str(0x87, 'objectClass'),
      tlv(0x30, str(0x04, ROOT_DSE_ATTRIBUTE)),
    ),
  );

/** The UnbindRequest: [APPLICATION 2] NULL. */
const unbindRequest = (id: number): Buffer => message(id, Buffer.from([0x42, 0x00]));

/** A SearchResultEntry's attributes, as `type: value, value` (the root DSE's, for the evidence). */
function entryText(body: Buffer): string {
  const dn = readTlv(body);
  const list = dn && readTlv(body, dn.end);
  if (!list) return '';
  const parts: string[] = [];
  for (let at = list.start; at < list.end;) {
    const attr = readTlv(body, at);
    const type = attr && readTlv(body, attr.start);
    const vals = type && readTlv(body, type.end);
    if (!attr || !type || !vals) break;
    const values: string[] = [];
    for (let v = vals.start; v < vals.end;) {
      const value = readTlv(body, v);
      if (!value) break;
      values.push(body.subarray(value.start, value.end).toString('utf8'));
      v = value.end;
    }
    parts.push(`${body.subarray(type.start, type.end).toString('utf8')}: ${values.join(', ')}`);
    at = attr.end;
  }
  return parts.join('; ');
}

/** The LDAPMessages at the start of `buf`, whole ones only. */
function messagesOf(buf: Buffer): LdapMessage[] {
  const out: LdapMessage[] = [];
  for (let at = 0; at < buf.length;) {
    const m = readMessage(buf.subarray(at));
    if (!m) break;
    out.push(m);
    at += m.end;
  }
  return out;
}

/** A Notice of Disconnection (unsolicited, messageID 0, RFC 4511 §4.4.1; its responseName is optional in practice). */
function noticeOf(m: LdapMessage): AnswerReading | undefined {
  const r = readResult(m.body);
  if (m.op !== 0x78 || m.id !== 0 || !r || (r.rest.length && !r.rest.includes(NOTICE_OF_DISCONNECTION_OID)))
    return undefined;
  return {
    verdict: 'rejected',
    reason:
      `the server ended the session in its protocol (Notice of Disconnection): resultCode ${resultName(r.code)} ` +
      JSON.stringify(r.diagnostic),
  };
}

export function readLdapAnswer(received: Buffer): AnswerReading | undefined {
  if (received.length === 0) return undefined;
  const m = readMessage(received);
  if (!m) {
    return {
      verdict: 'inconclusive',
      reason: `the server's answer is no complete LDAPMessage (${received.length} bytes)`,
    };
  }
  const r = readResult(m.body);
  const notice = noticeOf(m);
  if (notice) return notice;
  if (m.op === 0x61 && r) {
    if (r.code !== 0)
      return {
        verdict: 'rejected',
        reason: `the server refused the bind in its protocol: resultCode ${resultName(r.code)} ${JSON.stringify(
          r.diagnostic,
        )}`,
      };
    const bound = 'the server let the client bind (BindResponse: success)';
    // What followed the bind: the root DSE's entry and the search's result, or the server's goodbye.
    const after = messagesOf(received).slice(1);
    const goodbye = after.map(noticeOf).find(Boolean);
    if (goodbye) return { ...goodbye, reason: `${bound}, then ${goodbye.reason}` };
    const done = after.find((a) => a.op === 0x65);
    const d = done && readResult(done.body);
    if (!d) return { verdict: 'accepted', reason: bound };
    if (d.code !== 0)
      return {
        verdict: 'rejected',
        reason: `${bound}, then refused the read of the root DSE in its protocol: resultCode ${resultName(
          d.code,
        )} ${JSON.stringify(d.diagnostic)}`,
      };
    const entry = after.find((a) => a.op === 0x64);
    return {
      verdict: 'accepted',
      reason: `${bound} and read the root DSE (${entry ? entryText(entry.body) || 'an entry' : 'no entry'})`,
    };
  }
  return {
    verdict: 'inconclusive',
    reason: `the server answered the bind with protocolOp 0x${m.op.toString(16)}, not a BindResponse`,
  };
}

/** Reads one LDAPMessage before TLS, exactly. */
async function readPreambleMessage(io: PreambleIo): Promise<Buffer> {
  const head = await io.read(2);
  const extra = head[1]! & 0x80 ? head[1]! & 0x7f : 0;
  const lengthBytes = extra ? await io.read(extra) : Buffer.alloc(0);
  const size = extra ? [...lengthBytes].reduce((v, b) => v * 256 + b, 0) : head[1]!;
  return Buffer.concat([head, lengthBytes, await io.read(size)]);
}

/** How long the LDAPMessage at the start of `seen` is, once its length is in; undefined before. */
function messageLength(seen: Buffer): number | undefined {
  if (seen.length < 2) return undefined;
  const first = seen[1]!;
  if (!(first & 0x80)) return 2 + first;
  const n = first & 0x7f;
  if (seen.length < 2 + n) return undefined;
  return 2 + n + [...seen.subarray(2, 2 + n)].reduce((v, b) => v * 256 + b, 0);
}

export const ldap: AppProtocol = {
  name: 'ldap',
  request: (sentinel, _server, size) => bindRequest(sentinel, 2, size),
  readAnswer: readLdapAnswer,
  outputShowsSentinel: false,
  status(received) {
    const m = readMessage(received);
    return m ? readResult(m.body)?.code : undefined;
  },
  // After a successful bind: the root DSE, then an UnbindRequest (RFC 4511 §4.3) to end politely.
  async converse(io) {
    const bind = readMessage(await readPreambleMessage(io));
    if (bind?.op !== 0x61 || readResult(bind.body)?.code !== 0) return;
    io.write(rootDseSearch(3));
    for (;;) {
      const m = readMessage(await readPreambleMessage(io));
      // Entries and references come before the SearchResultDone; anything else ends the read.
      if (!m || (m.op !== 0x64 && m.op !== 0x73)) break;
    }
    io.write(unbindRequest(4));
  },
  // ldapsearch -ZZ, refused StartTLS, says goodbye in clear: UnbindRequest, [APPLICATION 2] NULL.
  goodbye(clear) {
    const m = readMessage(clear);
    return m?.op === 0x42 && m.end === clear.length ? 'an UnbindRequest' : undefined;
  },
  async clientPreamble(io) {
    io.write(startTlsRequest(1));
    const answer = readMessage(await readPreambleMessage(io));
    const r = answer && answer.op === 0x78 ? readResult(answer.body) : undefined;
    if (r?.code === 0) return io.log('client: the server accepted StartTLS');
    throw new PreambleError(
      r
        ? `the server refused StartTLS: resultCode ${resultName(r.code)} ${JSON.stringify(r.diagnostic)}`
        : 'the server answered the StartTLS request with no extended response',
    );
  },
  async serverPreamble(io, answer) {
    const first = await io.read(1);
    // A client that starts TLS at once (ldaps://) asks nothing.
    if (first[0] === TLS_HANDSHAKE) {
      io.unread(first);
      return { requested: false };
    }
    io.unread(first);
    const request = await readPreambleMessage(io);
    const m = readMessage(request);
    const asked = m?.op === 0x77 && m.body.includes(Buffer.from(STARTTLS_OID));
    if (!m || !asked) {
      io.unread(request);
      return { requested: false };
    }
    io.write(
      answer === 'tls'
        ? extendedResponse(m.id, 0, '', STARTTLS_OID)
        : extendedResponse(m.id, 52, 'mtls-conformance reference server: no TLS here (the downgrade check)'),
    );
    io.log(`server: answered StartTLS with ${answer === 'tls' ? 'success' : 'unavailable (52)'}`);
    return { requested: true };
  },
  // A refusal a client prints ("additional info: ..."), carrying the sentinel, to the client's bind.
  answer(sentinel, size = 0, request) {
    const id = (request && readMessage(request)?.id) || 1;
    return bindResponse(
      id,
      53,
      `mtls-conformance reference server: ${sentinel}${'.'.repeat(Math.max(0, size - sentinel.length - 40))}`,
    );
  },
  preambleLength(direction, seen) {
    if (seen.length === 0) return undefined;
    if (seen[0] === TLS_HANDSHAKE) return 0;
    if (seen[0] !== 0x30) return 0;
    // The StartTLS request (c2s) and its response (s2c): one LDAPMessage each way.
    void direction;
    return messageLength(seen);
  },
};
