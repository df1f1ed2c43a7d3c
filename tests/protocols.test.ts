/** The protocol modules on bytes: what each sends, and how an answer reads. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_NAMES, protocolOf } from '../harness/protocols/index.js';
import { frame, framesOf, readStream } from '../harness/protocols/h2.js';
import { encodeHeaders, HpackDecoder } from '../harness/protocols/hpack.js';
import { extendedResponse, message, readMessage, readResult, rootDseSearch, tlv } from '../harness/protocols/ldap.js';
import type { PreambleIo } from '../harness/protocols/types.js';

describe('raw', () => {
  const raw = protocolOf(undefined);
  it('is the default: the sentinel on a line, padded to a size; the output of an echo server is its account', () => {
    expect(raw.name).toBe('raw');
    expect(raw.request('mtls-c2s-abc', { port: 1 }).toString()).toBe('mtls-c2s-abc\n');
    expect(raw.request('mtls-c2s-abc', { port: 1 }, 40)).toHaveLength(40);
    expect('readAnswer' in raw).toBe(false);
    expect(raw.outputShowsSentinel).toBe(true);
  });
});

describe('http', () => {
  const http = protocolOf('http');
  it('asks for the sentinel as a path, with the name the server is reached by as its Host', () => {
    expect(http.request('mtls-c2s-abc', { name: 'api.internal', port: 8443 }).toString()).toBe(
      'GET /mtls-c2s-abc HTTP/1.1\r\nHost: api.internal:8443\r\nConnection: close\r\n\r\n',
    );
    const post = http.request('mtls-c2s-abc', { port: 8443 }, 100).toString();
    expect(post).toMatch(
      /^POST \/mtls-c2s-abc HTTP\/1\.1\r\nHost: localhost\r\n.*Content-Length: 100\r\n\r\n\.{100}$/s,
    );
  });

  it('reads a 2xx as accepted, 400/421/495/496 as refused, anything else as inconclusive, nothing as undecided', () => {
    const read = (text: string) => http.readAnswer!(Buffer.from(text))!;
    expect(read('HTTP/1.1 200 OK\r\n\r\nhi')).toEqual({
      verdict: 'accepted',
      reason: 'the server answered HTTP/1.1 200 OK',
    });
    for (const s of [400, 421, 495, 496]) expect(read(`HTTP/1.1 ${s} No\r\n\r\n`).verdict, String(s)).toBe('rejected');
    expect(read('HTTP/1.1 302 Found\r\n\r\n').verdict).toBe('inconclusive');
    expect(read('SSH-2.0-x').reason).toMatch(/neither 2xx nor a certificate rejection: "SSH-2\.0-x"/);
    expect(http.readAnswer!(Buffer.alloc(0))).toBeUndefined();
    expect(http.status!(Buffer.from('HTTP/1.0 403 Forbidden\r\n'))).toBe(403);
    expect(http.outputShowsSentinel).toBe(false);
  });

  it("with a role's options: its path (the sentinel in a header), method and headers", () => {
    const shaped = protocolOf({ name: 'http', path: '/healthz', method: 'HEAD', headers: { 'X-Api-Key': 'k' } });
    expect(shaped.request('mtls-c2s-abc', { name: 'api.internal', port: 443 }).toString()).toBe(
      'HEAD /healthz HTTP/1.1\r\nHost: api.internal:443\r\nX-Mtls-Probe: mtls-c2s-abc\r\nX-Api-Key: k\r\n' +
        'Connection: close\r\n\r\n',
    );
    // The same reading of the answer; options only shape the request.
    expect(shaped.readAnswer!(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))!.verdict).toBe('accepted');
    expect(protocolOf({ name: 'http' }).request('x', { port: 1 })).toEqual(
      protocolOf('http').request('x', { port: 1 }),
    );
  });

  it('every protocol is named by its module', () => {
    for (const name of PROTOCOL_NAMES) expect(protocolOf(name).name).toBe(name);
  });
});

/** A recorded exchange (tools/record-protocol.mts): what the server sent before TLS, and its first answer after. */
function recorded(name: string): { preamble: Buffer; answer: Buffer } {
  const [preamble, answer] = readFileSync(new URL(`fixtures/protocols/${name}.hex`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n');
  return { preamble: Buffer.from(preamble ?? '', 'hex'), answer: Buffer.from(answer ?? '', 'hex') };
}

/** A preamble played against bytes: what it wrote, and whatever it left unread for TLS. */
async function play(
  run: (io: PreambleIo) => Promise<unknown>,
  incoming: Buffer,
): Promise<{ wrote: Buffer; rest: Buffer; result: unknown }> {
  let pending = incoming;
  const wrote: Buffer[] = [];
  const io: PreambleIo = {
    read: (n) => {
      if (pending.length < n)
        return Promise.reject(new Error(`the peer closed the connection before TLS (${pending.length} < ${n})`));
      const out = pending.subarray(0, n);
      pending = pending.subarray(n);
      return Promise.resolve(out);
    },
    readFramed: async (head, length) => {
      const first = await io.read(head);
      return Buffer.concat([first, await io.read(length(first) - head)]);
    },
    unread: (b) => {
      pending = Buffer.concat([b, pending]);
    },
    write: (b) => wrote.push(b),
    log: () => {},
  };
  const result = await run(io);
  return { wrote: Buffer.concat(wrote), rest: pending, result };
}

const HELLO = Buffer.from('160301', 'hex');

describe('postgres', () => {
  const pg = protocolOf({ name: 'postgres', user: 'app', database: 'orders' });
  it('asks for TLS with an SSLRequest and goes on after S; N is a refusal with its words', async () => {
    const { wrote } = await play((io) => pg.clientPreamble!(io), recorded('postgres-cert-auth-ok').preamble);
    expect(wrote.toString('hex')).toBe('0000000804d2162f');
    expect(recorded('postgres-cert-auth-ok').preamble.toString()).toBe('S');
    await expect(play((io) => pg.clientPreamble!(io), Buffer.from('N'))).rejects.toThrow(
      'the server answered the SSLRequest with N: it does not offer TLS',
    );
  });

  it('sends a StartupMessage naming the user and database, the sentinel as application_name', () => {
    const m = pg.request('mtls-c2s-abc', { port: 1 });
    expect(m.readUInt32BE(0)).toBe(m.length);
    expect(m.readUInt32BE(4)).toBe(196608);
    expect(m.subarray(8).toString().split('\0')).toEqual([
      'user',
      'app',
      'database',
      'orders',
      'application_name',
      'mtls-c2s-abc',
      '',
      '',
    ]);
    // Padded with a Query after it: a StartupMessage may not exceed 10000 bytes.
    const padded = pg.request('mtls-c2s-abc', { port: 1 }, 12_000);
    expect(padded.length).toBeGreaterThanOrEqual(11_000);
    expect(padded.readUInt32BE(0)).toBeLessThan(10_000);
  });

  it("reads PostgreSQL 15's answers: AuthenticationOk, and the 28000 refusal quoted", () => {
    expect(pg.readAnswer!(recorded('postgres-cert-auth-ok').answer)).toEqual({
      verdict: 'accepted',
      reason: 'the server let the client in (AuthenticationOk)',
    });
    expect(pg.readAnswer!(recorded('postgres-no-cert-28000').answer)).toEqual({
      verdict: 'rejected',
      reason:
        'the server refused the client in its protocol: FATAL 28000 "connection requires a valid client certificate"',
    });
    // A password or SASL prompt is a client let in past the certificate check.
    const sasl = Buffer.from('520000001700000000a5343524d2d5348412d3235360000', 'hex');
    sasl.writeUInt32BE(10, 5);
    expect(pg.readAnswer!(sasl)?.verdict).toBe('accepted');
    expect(pg.readAnswer!(sasl)?.reason).toMatch(/AuthenticationSASL/);
  });

  it('as the harness server: answers S (or N to decline), and hands a direct TLS hello back untouched', async () => {
    const ssl = Buffer.concat([Buffer.from('0000000804d2162f', 'hex'), HELLO]);
    const taken = await play((io) => pg.serverPreamble!(io, 'tls'), ssl);
    expect(taken).toMatchObject({ wrote: Buffer.from('S'), rest: HELLO, result: { requested: true } });
    const declined = await play((io) => pg.serverPreamble!(io, 'decline'), ssl);
    expect(declined.wrote.toString()).toBe('N');
    const direct = await play((io) => pg.serverPreamble!(io, 'tls'), Buffer.concat([HELLO, Buffer.alloc(8)]));
    expect(direct).toMatchObject({ wrote: Buffer.alloc(0), result: { requested: false } });
    expect(direct.rest.subarray(0, 3)).toEqual(HELLO);
  });

  it('tells the wire tap where TLS starts each way', () => {
    const ssl = Buffer.from('0000000804d2162f', 'hex');
    expect(pg.preambleLength!('c2s', ssl.subarray(0, 5))).toBeUndefined();
    expect(pg.preambleLength!('c2s', Buffer.concat([ssl, HELLO]))).toBe(8);
    expect(pg.preambleLength!('c2s', HELLO)).toBe(0);
    expect(pg.preambleLength!('s2c', Buffer.concat([Buffer.from('S'), HELLO]))).toBe(1);
  });
});

describe('mysql', () => {
  const my = protocolOf({ name: 'mysql', user: 'mtls' });
  it("reads MariaDB's greeting (TLS offered), answers an SSLRequest, and knows the greeting's length", async () => {
    const { preamble } = recorded('mariadb-x509-ok');
    const { wrote, rest } = await play((io) => my.clientPreamble!(io), preamble);
    expect(rest).toHaveLength(0);
    expect(wrote.readUIntLE(0, 3)).toBe(32);
    expect(wrote[3]).toBe(1);
    expect(wrote.readUInt32LE(4) & 0x800).toBe(0x800);
    expect(my.preambleLength!('s2c', Buffer.concat([preamble, HELLO]))).toBe(preamble.length);
    expect(my.preambleLength!('c2s', Buffer.concat([wrote, HELLO]))).toBe(36);
  });

  it('refuses a greeting without CLIENT_SSL: the server offers no TLS', async () => {
    const { wrote } = await play((io) => my.serverPreamble!(io, 'decline'), Buffer.alloc(0));
    await expect(play((io) => my.clientPreamble!(io), wrote)).rejects.toThrow(/does not offer TLS: no CLIENT_SSL/);
  });

  it("reads MariaDB 10.11's answers: OK, and ERR 1045 for a REQUIRE X509 user without a certificate", () => {
    expect(my.readAnswer!(recorded('mariadb-x509-ok').answer)).toEqual({
      verdict: 'accepted',
      reason: 'the server let the client in (OK)',
    });
    expect(my.readAnswer!(recorded('mariadb-no-cert-1045').answer)).toEqual({
      verdict: 'rejected',
      reason:
        'the server refused the client in its protocol: ERR 1045 (28000) ' +
        `"Access denied for user 'mtls'@'127.0.0.1' (using password: NO)"`,
    });
  });

  it('sends a HandshakeResponse41 (sequence 2) naming the user, the sentinel as a connection attribute', () => {
    const r = my.request('mtls-c2s-abc', { port: 1 });
    expect(r.readUIntLE(0, 3)).toBe(r.length - 4);
    expect(r[3]).toBe(2);
    expect(r.includes(Buffer.from('mtls\0'))).toBe(true);
    expect(r.includes(Buffer.from('mtls-c2s-abc'))).toBe(true);
    expect(my.request('mtls-c2s-abc', { port: 1 }, 12_000).length).toBeGreaterThanOrEqual(11_000);
  });
});

describe('redis', () => {
  const redis = protocolOf('redis');
  it('sends PING with the sentinel in RESP; the sentinel back and -NOAUTH are both acceptance', () => {
    expect(redis.request('mtls-c2s-abc', { port: 1 }).toString()).toBe('*2\r\n$4\r\nPING\r\n$12\r\nmtls-c2s-abc\r\n');
    expect(redis.readAnswer!(recorded('redis-cert').answer)?.verdict).toBe('accepted');
    expect(recorded('redis-cert').answer.toString()).toContain('mtls-c2s-000000000000000000000000');
    expect(redis.readAnswer!(recorded('redis-noauth').answer)).toEqual({
      verdict: 'accepted',
      reason:
        'the server asked the client for a password ("-NOAUTH Authentication required."): past the certificate check',
    });
    expect(redis.readAnswer!(Buffer.from('HTTP/1.1 400'))?.verdict).toBe('inconclusive');
    expect('preambleLength' in redis).toBe(false);
  });
});

describe('mqtt', () => {
  it("reads mosquitto 2's CONNACKs, 3.1.1 and 5.0: accepted, and not authorized as a refusal", () => {
    const v4 = protocolOf('mqtt');
    const v5 = protocolOf({ name: 'mqtt', version: 5 });
    expect(v4.readAnswer!(recorded('mosquitto-cert').answer)?.reason).toBe(
      'the broker let the client in: CONNACK return code 0 (connection accepted)',
    );
    expect(v4.readAnswer!(recorded('mosquitto-not-authorized').answer)).toEqual({
      verdict: 'rejected',
      reason: 'the broker refused the client in its protocol: CONNACK return code 5 (not authorized)',
    });
    expect(v5.readAnswer!(recorded('mosquitto-v5-cert').answer)?.verdict).toBe('accepted');
    expect(v5.readAnswer!(recorded('mosquitto-v5-not-authorized').answer)?.reason).toBe(
      'the broker refused the client in its protocol: CONNACK reason 0x87 (not authorized)',
    );
    // A refused password is a client past the certificate check.
    expect(v4.readAnswer!(Buffer.from([0x20, 2, 0, 4]))?.verdict).toBe('accepted');
  });

  it('as the harness server: a CONNACK in the version of the CONNECT it got', () => {
    const mqtt = protocolOf('mqtt');
    const v5connect = protocolOf({ name: 'mqtt', version: 5 }).request('id', { port: 1 });
    expect(mqtt.answer('mtls-s2c-abc', 0, v5connect)).toEqual(Buffer.from([0x20, 3, 0, 0, 0]));
    expect(mqtt.answer('mtls-s2c-abc', 0, mqtt.request('id', { port: 1 }))).toEqual(Buffer.from([0x20, 2, 0, 0]));
  });
});

describe('ldap', () => {
  const ldap = protocolOf('ldap');
  // What ldapsearch -ZZ sends first (captured from OpenLDAP 2.5's ldapsearch): StartTLS, messageID 1.
  const STARTTLS = Buffer.from('301d02010177188016312e332e362e312e342e312e313436362e3230303337', 'hex');

  it("asks for StartTLS and goes on after slapd's success; a refusal is said with its result code", async () => {
    const { wrote } = await play((io) => ldap.clientPreamble!(io), recorded('slapd-bind-ok').preamble);
    expect(wrote).toEqual(STARTTLS);
    const refused = extendedResponse(1, 52, 'TLS not configured');
    await expect(play((io) => ldap.clientPreamble!(io), refused)).rejects.toThrow(
      'the server refused StartTLS: resultCode 52 unavailable "TLS not configured"',
    );
  });

  it('binds anonymously (version 3, simple, empty name), the sentinel in a non-critical control of its own', () => {
    const m = readMessage(ldap.request('mtls-c2s-abc', { port: 1 }))!;
    expect(m.id).toBe(2);
    expect(m.op).toBe(0x60);
    expect(m.body.toString('hex')).toBe('020103040080' + '00');
    const whole = ldap.request('mtls-c2s-abc', { port: 1 });
    expect(whole.includes(Buffer.from('mtls-c2s-abc'))).toBe(true);
    // No criticality in the control: FALSE, the default (RFC 4511 §4.1.11).
    expect(whole.includes(Buffer.from('0101ff', 'hex'))).toBe(false);
    const padded = ldap.request('mtls-c2s-abc', { port: 1 }, 5000);
    expect(padded.length).toBe(5000);
    expect(readMessage(padded)?.end).toBe(5000);
  });

  it("reads slapd 2.5's answers: bind success, and its refusal of an anonymous bind quoted", () => {
    expect(ldap.readAnswer!(recorded('slapd-bind-ok').answer)).toEqual({
      verdict: 'accepted',
      reason: 'the server let the client bind (BindResponse: success)',
    });
    expect(ldap.readAnswer!(recorded('slapd-anon-disallowed').answer)).toEqual({
      verdict: 'rejected',
      reason:
        'the server refused the bind in its protocol: resultCode 48 inappropriateAuthentication ' +
        '"anonymous bind disallowed"',
    });
    expect(ldap.status!(recorded('slapd-anon-disallowed').answer)).toBe(48);
    const notice = extendedResponse(0, 52, 'shutting down', '1.3.6.1.4.1.1466.20036');
    expect(ldap.readAnswer!(notice)?.verdict).toBe('rejected');
    expect(ldap.readAnswer!(notice)?.reason).toMatch(/Notice of Disconnection.*52 unavailable "shutting down"/);
    const bind = recorded('slapd-bind-ok').answer;
    expect(ldap.readAnswer!(bind.subarray(0, bind.length - 1))?.verdict).toBe('inconclusive');
  });

  it("after a bind, reads slapd's root DSE and unbinds; its entry the evidence, a refused read a refusal", async () => {
    const answer = recorded('slapd-root-dse').answer;
    expect(ldap.readAnswer!(answer)).toEqual({
      verdict: 'accepted',
      reason: 'the server let the client bind (BindResponse: success) and read the root DSE (supportedLDAPVersion: 3)',
    });
    const { wrote } = await play((io) => ldap.converse!(io, 'mtls-c2s-abc'), answer);
    const sent = [readMessage(wrote)!, readMessage(wrote.subarray(readMessage(wrote)!.end))!];
    expect(sent.map((m) => [m.id, m.op])).toEqual([
      [3, 0x63],
      [4, 0x42],
    ]);
    expect(wrote.subarray(0, sent[0]!.end)).toEqual(rootDseSearch(3));
    // base "", scope base, (objectClass=*), one attribute asked for.
    expect(sent[0]!.body.toString('hex')).toBe(
      '04000a01000a0100020100020100010100870b6f626a656374436c617373' +
        '30160414737570706f727465644c44415056657273696f6e',
    );
    // A bind refused: nothing more is sent.
    const refused = await play((io) => ldap.converse!(io, 'x'), recorded('slapd-anon-disallowed').answer);
    expect(refused.wrote).toEqual(Buffer.alloc(0));
    const bound = answer.subarray(0, readMessage(answer)!.end);
    const done50 = tlv(0x65, tlv(0x0a, Buffer.from([50])), tlv(0x04), tlv(0x04, Buffer.from('no read access')));
    const refusedRead = Buffer.concat([bound, message(3, done50)]);
    expect(ldap.readAnswer!(refusedRead)).toEqual({
      verdict: 'rejected',
      reason:
        'the server let the client bind (BindResponse: success), then refused the read of the root DSE in its ' +
        'protocol: resultCode 50 insufficientAccessRights "no read access"',
    });
    const goodbye = Buffer.concat([bound, extendedResponse(0, 52, 'shutting down')]);
    expect(ldap.readAnswer!(goodbye)?.reason).toMatch(/^the server let the client bind .*, then the server ended/);
    expect(ldap.readAnswer!(goodbye)?.verdict).toBe('rejected');
  });

  it('as the harness server: StartTLS answered (or declined with 52), a bind refused with the sentinel', async () => {
    const asked = Buffer.concat([STARTTLS, HELLO]);
    const taken = await play((io) => ldap.serverPreamble!(io, 'tls'), asked);
    expect(taken).toMatchObject({ rest: HELLO, result: { requested: true } });
    expect(readResult(readMessage(taken.wrote)!.body)?.code).toBe(0);
    expect(taken.wrote.includes(Buffer.from('1.3.6.1.4.1.1466.20037'))).toBe(true);
    const declined = await play((io) => ldap.serverPreamble!(io, 'decline'), asked);
    expect(readResult(readMessage(declined.wrote)!.body)?.code).toBe(52);
    const direct = await play((io) => ldap.serverPreamble!(io, 'tls'), Buffer.concat([HELLO, Buffer.alloc(8)]));
    expect(direct).toMatchObject({ wrote: Buffer.alloc(0), result: { requested: false } });
    const answer = readMessage(ldap.answer('mtls-s2c-xyz', 0, ldap.request('mtls-c2s-abc', { port: 1 })))!;
    expect(answer).toMatchObject({ id: 2, op: 0x61 });
    const refusal = readResult(answer.body)!;
    expect(refusal.code).toBe(53);
    expect(refusal.diagnostic).toContain('mtls-s2c-xyz');
  });

  it('tells the wire tap where TLS starts each way: after one LDAPMessage', () => {
    expect(ldap.preambleLength!('c2s', STARTTLS.subarray(0, 1))).toBeUndefined();
    expect(ldap.preambleLength!('c2s', Buffer.concat([STARTTLS, HELLO]))).toBe(STARTTLS.length);
    expect(ldap.preambleLength!('s2c', recorded('slapd-bind-ok').preamble)).toBe(14);
    expect(ldap.preambleLength!('c2s', HELLO)).toBe(0);
  });
});

describe('smtp', () => {
  const smtp = protocolOf('smtp');

  it("reads Exim's greeting and EHLO, asks for STARTTLS, goes on after 220; no STARTTLS is a refusal", async () => {
    const { wrote, rest } = await play((io) => smtp.clientPreamble!(io), recorded('exim-cert').preamble);
    expect(wrote.toString()).toBe('EHLO mtls-conformance.test\r\nSTARTTLS\r\n');
    expect(rest.length).toBe(0);
    const plain = Buffer.from('220 mx ESMTP\r\n250-mx Hello\r\n250 PIPELINING\r\n');
    await expect(play((io) => smtp.clientPreamble!(io), plain)).rejects.toThrow(
      'the server does not offer STARTTLS (its EHLO reply: "250 mx Hello PIPELINING")',
    );
  });

  it('after TLS: EHLO, MAIL FROM with the sentinel, RCPT TO postmaster, each after its reply; QUIT', async () => {
    const { wrote } = await play((io) => smtp.converse!(io, 'mtls-c2s-abc'), recorded('exim-cert').answer);
    expect(smtp.request('mtls-c2s-abc', { port: 1 }).toString()).toBe('EHLO mtls-conformance.test\r\n');
    expect(wrote.toString()).toBe('MAIL FROM:<mtls-c2s-abc@mtls-conformance.test>\r\nRCPT TO:<postmaster>\r\nQUIT\r\n');
    // Refused at MAIL FROM: nothing more is asked.
    const refused = await play((io) => smtp.converse!(io, 'mtls-c2s-abc'), recorded('exim-no-cert-550').answer);
    expect(refused.wrote.toString()).toBe('MAIL FROM:<mtls-c2s-abc@mtls-conformance.test>\r\n');
  });

  it('a long probe sends the rest as one message, its lines dot-stuffed', async () => {
    const replies = Buffer.from('250 mx\r\n250 OK\r\n250 Accepted\r\n354 go on\r\n250 queued\r\n221 bye\r\n');
    const { wrote } = await play((io) => smtp.converse!(io, 'mtls-c2s-abc', 12_000), replies);
    const text = wrote.toString();
    expect(wrote.length).toBeGreaterThan(12_000);
    expect(text).toMatch(/\r\nDATA\r\nSubject: mtls-conformance\r\n\r\n\.\.\.{75}\r\n/);
    expect(text.endsWith('\r\n.\r\nQUIT\r\n')).toBe(true);
  });

  it("reads Exim 4.96's answers: the mail taken, and its 550 5.7.1 at MAIL FROM quoted", () => {
    expect(smtp.readAnswer!(recorded('exim-cert').answer)).toEqual({
      verdict: 'accepted',
      reason: 'the server took the mail: "250 OK" to MAIL FROM, "250 Accepted" to RCPT TO',
    });
    expect(smtp.readAnswer!(recorded('exim-no-cert-550').answer)).toEqual({
      verdict: 'rejected',
      reason: 'the server refused MAIL FROM in its protocol: "550 5.7.1 A verified client certificate is required"',
    });
    expect(smtp.status!(recorded('exim-no-cert-550').answer)).toBe(550);
    expect(smtp.readAnswer!(Buffer.from('421 4.7.1 certificate required\r\n'))?.verdict).toBe('rejected');
    // A message answered 354 and then never taken (its record altered): not taken.
    const cut = Buffer.from('250 mx\r\n250 OK\r\n250 Accepted\r\n354 go on\r\n');
    expect(smtp.readAnswer!(cut)?.verdict).toBe('rejected');
    expect(smtp.readAnswer!(Buffer.from('250 mx\r\n250 OK\r\n'))?.verdict).toBe('inconclusive');
  });

  it('as the harness server: greets, offers STARTTLS (or not: the decline) and answers it; QUIT ends', async () => {
    const asked = Buffer.concat([Buffer.from('EHLO client.example\r\nSTARTTLS\r\n'), HELLO]);
    const taken = await play((io) => smtp.serverPreamble!(io, 'tls'), asked);
    expect(taken).toMatchObject({ rest: HELLO, result: { requested: true } });
    expect(taken.wrote.toString()).toMatch(/^220 .*\r\n250-.*\r\n250 STARTTLS\r\n220 /);
    const declined = await play((io) => smtp.serverPreamble!(io, 'decline'), Buffer.from('EHLO c\r\nQUIT\r\n'));
    expect(declined.wrote.toString()).not.toMatch(/STARTTLS/);
    expect(smtp.goodbye!(declined.rest)).toBe('QUIT');
    expect(smtp.goodbye!(Buffer.from('MAIL FROM:<a@b>\r\n'))).toBeUndefined();
    expect(smtp.answer('mtls-s2c-xyz').toString()).toMatch(/^554 5\.7\.1 .*mtls-s2c-xyz\r\n$/);
  });

  it('tells the wire tap where TLS starts each way: at the first line that is a TLS record', () => {
    const c2s = Buffer.from('EHLO a\r\nSTARTTLS\r\n');
    expect(smtp.preambleLength!('c2s', c2s)).toBeUndefined();
    expect(smtp.preambleLength!('c2s', Buffer.concat([c2s, HELLO]))).toBe(c2s.length);
    expect(smtp.preambleLength!('s2c', Buffer.concat([recorded('exim-cert').preamble, HELLO]))).toBe(
      recorded('exim-cert').preamble.length,
    );
  });
});

describe('h2 and grpc', () => {
  const grpc = protocolOf('grpc');
  const h2 = protocolOf({ name: 'h2', path: '/health' });
  /** The header blocks a request carries, decoded. */
  const headersOf = (bytes: Buffer) => readStream(bytes).blocks;

  it('HPACK: decodes RFC 7541 C.4.1 (Huffman-coded) and reads back what it encodes', () => {
    expect(new HpackDecoder().decode(Buffer.from('828684418cf1e3c2e5f23a6ba0ab90f4ff', 'hex'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
    ]);
    const long = 'x'.repeat(300);
    expect(
      new HpackDecoder().decode(
        encodeHeaders([
          ['a', long],
          ['x-mtls-probe', 'mtls-c2s-abc'],
        ]),
      ),
    ).toEqual([
      ['a', long],
      ['x-mtls-probe', 'mtls-c2s-abc'],
    ]);
  });

  it('offers ALPN h2, and sends the preface, SETTINGS and one health check on stream 1 with the sentinel', () => {
    expect(grpc.alpn).toEqual(['h2']);
    const request = grpc.request('mtls-c2s-abc', { name: 'api.internal', port: 8443 });
    expect(request.subarray(0, 24).toString('latin1')).toBe('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    const frames = framesOf(request);
    expect(frames.map((f) => [f.type, f.flags, f.stream])).toEqual([
      [4, 0, 0], // SETTINGS
      [1, 4, 1], // HEADERS, END_HEADERS
      [0, 1, 1], // DATA, END_STREAM
    ]);
    expect(headersOf(request)).toEqual([
      {
        ':method': 'POST',
        ':scheme': 'https',
        ':authority': 'api.internal:8443',
        ':path': '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
        'x-mtls-probe': 'mtls-c2s-abc',
      },
    ]);
    // An empty HealthCheckRequest, length-prefixed; a long probe pads the service name.
    expect(frames[2]!.payload.toString('hex')).toBe('0000000000');
    expect(framesOf(grpc.request('s', { port: 1 }, 12_000))[2]!.payload.length).toBe(5 + 3 + 12_000);
    expect(headersOf(h2.request('mtls-c2s-abc', { port: 1 }))[0]).toMatchObject({
      ':method': 'GET',
      ':path': '/health',
    });
  });

  it("reads grpc-js's and Apache's answers: SERVING, UNIMPLEMENTED (accepted), UNAUTHENTICATED (refused)", () => {
    expect(grpc.readAnswer!(recorded('grpc-js-health-ok').answer)).toEqual({
      verdict: 'accepted',
      reason: 'the server answered the call: :status 200, grpc-status 0 "OK"',
    });
    expect(grpc.status!(recorded('grpc-js-health-ok').answer)).toBe(200);
    expect(grpc.readAnswer!(recorded('grpc-js-unimplemented').answer)).toEqual({
      verdict: 'accepted',
      reason:
        'the server answered the call: :status 200, grpc-status 12 "The server does not implement the method ' +
        '/mtls.Probe/Missing"',
    });
    expect(grpc.readAnswer!(recorded('grpc-js-unauthenticated').answer)).toEqual({
      verdict: 'rejected',
      reason: 'the server refused the call: grpc-status 16 UNAUTHENTICATED "client certificate not authorized"',
    });
    // Apache's mod_http2 (its headers Huffman-coded and indexed), the path served with the client's subject.
    const apache = readStream(recorded('apache-h2-ok').answer, 1);
    expect(h2.readAnswer!(recorded('apache-h2-ok').answer)).toEqual({
      verdict: 'accepted',
      reason: 'the server answered :status 200',
    });
    expect(apache.blocks[0]).toMatchObject({ ':status': '200', 'content-type': 'text/plain' });
    expect(apache.data.toString()).toMatch(/^ok \/protected verify=SUCCESS subject=CN=/);
    // HTTP/2 to a gRPC server: its 415 is no certificate refusal.
    expect(h2.readAnswer!(recorded('grpc-js-h2-get').answer)).toEqual({
      verdict: 'inconclusive',
      reason: 'the server answered :status 415, neither 2xx nor a certificate rejection',
    });
    // Nothing at all (a server that closed after the handshake) is for the probe to judge.
    expect(grpc.readAnswer!(Buffer.alloc(0))).toBeUndefined();
  });

  it('reads a GOAWAY or a reset without an answer as a refusal, and permission denied as one', () => {
    const goaway = frame(7, 0, 0, Buffer.concat([Buffer.alloc(4), Buffer.from([0, 0, 0, 12]), Buffer.from('no')]));
    expect(grpc.readAnswer!(goaway)).toEqual({
      verdict: 'rejected',
      reason: 'the server ended the connection with GOAWAY INADEQUATE_SECURITY "no"',
    });
    expect(grpc.readAnswer!(frame(3, 0, 1, Buffer.from([0, 0, 0, 8])))?.reason).toBe(
      "the server reset the request's stream (RST_STREAM CANCEL)",
    );
    const denied = frame(
      1,
      5,
      1,
      encodeHeaders([
        [':status', '200'],
        ['grpc-status', '7'],
        ['grpc-message', 'not%20you'],
      ]),
    );
    expect(grpc.readAnswer!(denied)).toEqual({
      verdict: 'rejected',
      reason: 'the server refused the call: grpc-status 7 PERMISSION_DENIED "not you"',
    });
  });

  it('converses: acknowledges SETTINGS, answers PING, stops when stream 1 ends', async () => {
    const { wrote } = await play((io) => grpc.converse!(io, 'mtls-c2s-abc'), recorded('grpc-js-health-ok').answer);
    expect(framesOf(wrote).map((f) => [f.type, f.flags])).toContainEqual([4, 1]);
  });

  it("as the harness's server: SETTINGS at once, the answer once the client's request is whole", () => {
    expect(framesOf(grpc.opening!).map((f) => f.type)).toEqual([4]);
    const request = grpc.request('x', { port: 1 });
    const headersOnly = request.subarray(0, request.length - 14);
    expect(grpc.requestComplete!(request.subarray(0, 24 + 15))).toBe(false);
    expect(grpc.requestComplete!(headersOnly)).toBe(false);
    expect(grpc.requestComplete!(request)).toBe(true);
    const answer = readStream(grpc.answer('mtls-s2c-abc', 0, request));
    expect(answer.stream).toBe(1);
    expect(answer.blocks[0]).toMatchObject({ ':status': '200', 'x-mtls-answer': 'mtls-s2c-abc' });
    expect(answer.blocks[1]).toEqual({ 'grpc-status': '0', 'grpc-message': 'mtls-s2c-abc' });
    expect(answer.ended).toBe(true);
  });
});
