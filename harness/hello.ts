/**
 * The clear-text part of a TLS handshake, read and written by hand: what a peer offers
 * (ClientHello) and what was negotiated (ServerHello, ServerKeyExchange). The harness's own
 * peers are Node's OpenSSL, which cannot offer RC4 or 3DES at all; a hand-written ClientHello
 * can offer any suite, so a server's choice is seen whatever this machine's OpenSSL supports.
 */
import { decryptServerHandshake } from './tls13-handshake.js';
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { eachRecord, handshakeMessages, type HandshakeMessage } from './tls-records.js';

/** IANA cipher suites the policy checks name, by code point (RFC 8447 registry). */
export const SUITES: Record<number, string> = {
  0x0001: 'TLS_RSA_WITH_NULL_MD5',
  0x0002: 'TLS_RSA_WITH_NULL_SHA',
  0x003b: 'TLS_RSA_WITH_NULL_SHA256',
  0xc006: 'TLS_ECDHE_ECDSA_WITH_NULL_SHA',
  0xc010: 'TLS_ECDHE_RSA_WITH_NULL_SHA',
  0x0004: 'TLS_RSA_WITH_RC4_128_MD5',
  0x0005: 'TLS_RSA_WITH_RC4_128_SHA',
  0xc007: 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  0xc011: 'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x0016: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0xc008: 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA',
  0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0xc09c: 'TLS_RSA_WITH_AES_128_CCM',
  0xc09d: 'TLS_RSA_WITH_AES_256_CCM',
  0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256',
  0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
};

export const suiteName = (code: number) => SUITES[code] ?? `0x${code.toString(16).padStart(4, '0')}`;

/**
 * The suite families the policy refuses, as predicates on IANA names. Each family is drawn so
 * that it differs from an acceptable suite in its one property: the CBC family is AES-CBC with
 * ECDHE or DHE, the static-RSA family is AES-GCM with RSA key transport.
 */
export const SUITE_FAMILIES = {
  null: (n: string) => /_WITH_NULL_/.test(n),
  rc4: (n: string) => /_RC4_/.test(n),
  '3des': (n: string) => /_3DES_/.test(n),
  cbc: (n: string) => /^TLS_(ECDHE|DHE)_\w+_WITH_AES_\d+_CBC_/.test(n),
  'static-rsa': (n: string) => /^TLS_RSA_WITH_AES_\d+_(GCM|CCM)/.test(n),
} as const;
export type SuiteFamily = keyof typeof SUITE_FAMILIES;

export const familyCodes = (family: SuiteFamily) =>
  Object.entries(SUITES)
    .filter(([, n]) => SUITE_FAMILIES[family](n))
    .map(([c]) => Number(c));

/**
 * Every TLS 1.2 suite the harness can write (no TLS 1.3 suite, no signalling value): a suite
 * check's control offers all of these but the family under test, so any server that speaks
 * TLS 1.2 at all finds something it accepts.
 */
export const TLS12_SUITES = Object.keys(SUITES)
  .map(Number)
  .filter((c) => c >> 8 !== 0x13 && c !== 0x00ff);

/** Suites every TLS 1.2 policy accepts: the default offer. */
export const GOOD_TLS12_SUITES = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8];

export const VERSION_NAMES: Record<number, string> = {
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
};

export const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const GROUPS: Record<number, string> = {
  23: 'secp256r1',
  24: 'secp384r1',
  25: 'secp521r1',
  29: 'x25519',
  30: 'x448',
  256: 'ffdhe2048',
  257: 'ffdhe3072',
};
const SIGNATURE_SCHEMES: Record<number, string> = {
  0x0201: 'rsa_pkcs1_sha1',
  0x0203: 'ecdsa_sha1',
  0x0401: 'rsa_pkcs1_sha256',
  0x0501: 'rsa_pkcs1_sha384',
  0x0601: 'rsa_pkcs1_sha512',
  0x0403: 'ecdsa_secp256r1_sha256',
  0x0503: 'ecdsa_secp384r1_sha384',
  0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256',
  0x0805: 'rsa_pss_rsae_sha384',
  0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519',
  0x0808: 'ed448',
  0x0809: 'rsa_pss_pss_sha256',
  0x080a: 'rsa_pss_pss_sha384',
  0x080b: 'rsa_pss_pss_sha512',
};
const named = (table: Record<number, string>, code: number) => table[code] ?? `0x${code.toString(16).padStart(4, '0')}`;

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const vec8 = (b: Buffer) => Buffer.concat([Buffer.from([b.length]), b]);
const extension = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);
const list16 = (codes: number[]) => vec16(Buffer.concat(codes.map(u16)));

/**
 * A TLS 1.2 (or older) ClientHello record offering exactly `suites`, with the extensions a
 * modern server expects of a TLS 1.2 client: SNI (for a DNS name), groups, point formats,
 * signature algorithms, and secure renegotiation.
 */
export function clientHello(args: {
  suites: number[];
  version?: number;
  serverName?: string;
  /** ALPN protocols to offer (HTTP/2's `h2`, which a gRPC server may require). */
  alpn?: readonly string[];
}): Buffer {
  const version = args.version ?? 0x0303;
  const extensions = [
    ...(args.alpn?.length
      ? [extension(16, vec16(Buffer.concat(args.alpn.map((p) => vec8(Buffer.from(p, 'latin1'))))))]
      : []),
    ...(args.serverName
      ? [extension(0, vec16(Buffer.concat([Buffer.from([0]), vec16(Buffer.from(args.serverName))])))]
      : []),
    extension(10, list16([29, 23, 24, 25, 256])),
    extension(11, vec8(Buffer.from([0]))),
    extension(13, list16([0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201])),
    extension(0xff01, vec8(Buffer.alloc(0))),
  ];
  const body = Buffer.concat([
    u16(version),
    randomBytes(32),
    vec8(Buffer.alloc(0)),
    list16(args.suites),
    vec8(Buffer.from([0])),
    vec16(Buffer.concat(extensions)),
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), u24(body.length), body]);
  // The record layer says TLS 1.0, as clients do for their first flight.
  return Buffer.concat([Buffer.from([22, 0x03, 0x01]), u16(handshake.length), handshake]);
}

interface Flight {
  messages: HandshakeMessage[];
  alert?: string;
  records: number;
}

/** The clear handshake messages and the first alert of one direction's bytes. */
export function readFlight(bytes: Buffer): Flight {
  const chunks: Buffer[] = [];
  let alert: string | undefined;
  let records = 0;
  eachRecord(bytes, (type, _header, body) => {
    records += 1;
    if (type === 21 && body.length === 2 && alert === undefined) alert = named(ALERTS, body[1]!);
    // After ChangeCipherSpec (TLS 1.2) or past the ServerHello (TLS 1.3) handshake messages are encrypted.
    if (type === 20 || type === 23) return false;
    if (type === 22) chunks.push(body);
    return true;
  });
  return { messages: handshakeMessages(Buffer.concat(chunks)), alert, records };
}

function extensionsOf(body: Buffer, at: number): Map<number, Buffer> {
  const found = new Map<number, Buffer>();
  if (at + 2 > body.length) return found;
  const end = at + 2 + body.readUInt16BE(at);
  for (let i = at + 2; i + 4 <= end && i + 4 <= body.length;) {
    const len = body.readUInt16BE(i + 2);
    found.set(body.readUInt16BE(i), body.subarray(i + 4, i + 4 + len));
    i += 4 + len;
  }
  return found;
}

export interface Offer {
  versions: string[];
  suites: string[];
  /** The server_name (SNI) the client sent, if any. */ serverName?: string;
  /** The client offers to resume a session: a non-empty session_ticket (RFC 5077) or a pre_shared_key (RFC 8446). */
  offersSession?: boolean;
}

/** Where a hello's cipher suite(s) start: after legacy_version (2), random (32) and the session id. */
const suitesAt = (hello: Buffer) => 35 + hello[34]!;

/** What a client offers in its ClientHello: versions (supported_versions, else legacy_version) and suites. */
export function readOffer(c2s: Buffer): Offer | undefined {
  const hello = readFlight(c2s).messages.find((m) => m.type === 1)?.body;
  if (!hello || hello.length < 38) return undefined;
  let at = suitesAt(hello);
  const suitesLength = hello.readUInt16BE(at);
  const suites = [];
  for (let i = at + 2; i < at + 2 + suitesLength; i += 2) suites.push(suiteName(hello.readUInt16BE(i)));
  at += 2 + suitesLength;
  at += 1 + hello[at]!;
  const supported = extensionsOf(hello, at).get(43);
  const versions = supported
    ? Array.from({ length: supported[0]! / 2 }, (_, i) => supported.readUInt16BE(1 + 2 * i))
        .filter((v) => VERSION_NAMES[v])
        .map((v) => VERSION_NAMES[v]!)
    : [VERSION_NAMES[hello.readUInt16BE(0)] ?? 'unknown'];
  // server_name (RFC 6066 §3): a list of (type, name); type 0 is host_name.
  const sni = extensionsOf(hello, at).get(0);
  const serverName =
    sni && sni.length > 5 && sni[2] === 0 ? sni.subarray(5, 5 + sni.readUInt16BE(3)).toString('latin1') : undefined;
  const exts = extensionsOf(hello, at);
  const offersSession = (exts.get(35)?.length ?? 0) > 0 || exts.has(41);
  return { versions, suites, ...(serverName ? { serverName } : {}), ...(offersSession ? { offersSession } : {}) };
}

export interface Negotiated {
  version?: string;
  cipher?: string;
  /** The key exchange group: key_share (TLS 1.3) or ServerKeyExchange (TLS 1.2 ECDHE). */
  group?: string;
  /** The server's handshake signature scheme, where it travels in clear (TLS 1.2 ServerKeyExchange). */
  signatureScheme?: string;
  /** The first alert a side sent, if any. */
  alert?: { c2s?: string; s2c?: string };
  /**
   * The server resumed a session instead of a full handshake: TLS 1.3, its ServerHello accepts a
   * pre_shared_key; TLS 1.2, it echoes the session id the client offered (RFC 5246 §7.4.1.3;
   * RFC 5077 §3.4 for tickets).
   */
  resumed?: boolean;
  /**
   * The server's CertificateRequest: the CA names it lists for the client to choose a certificate
   * by (RFC 5246 §7.4.4; TLS 1.3 certificate_authorities, RFC 8446 §4.2.4), each as `attr=value`
   * lines in the DN's order. An empty list is allowed. TLS 1.2 sends it in clear; TLS 1.3
   * encrypts it, and it is read only when the server's handshake flight could be decrypted.
   */
  certificateRequest?: { caNames: string[] };
  /**
   * TLS 1.3: the server's encrypted handshake flight was read (with the reference client's key log), so a missing
   * CertificateRequest means none was sent.
   */
  handshakeDecrypted?: boolean;
  /** The ClientHello offered to resume a session (see Offer.offersSession). */
  sessionOffered?: boolean;
  /**
   * TLS 1.2: the server issued a session ticket (NewSessionTicket, in clear before its Finished). TLS 1.3 encrypts
   * them.
   */
  ticketIssued?: boolean;
  /**
   * TLS 1.2: the ServerHello carries renegotiation_info (RFC 5746 §3.6), so a renegotiation is
   * bound to the connection it renegotiates. TLS 1.3 has no renegotiation.
   */
  secureRenegotiation?: boolean;
}

/** A DER DistinguishedName as `attr=value` lines, in order (short names where known, else the OID). */
export function distinguishedName(der: Buffer): string {
  const name = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const attrs = (
    forge.pki as unknown as {
      RDNAttributesAsArray(n: forge.asn1.Asn1): Array<{ type: string; shortName?: string; value: string }>;
    }
  ).RDNAttributesAsArray(name);
  return attrs.map((a) => `${a.shortName ?? a.type}=${Buffer.from(a.value, 'binary').toString('utf8')}`).join('\n');
}

/** A certificate's subject, in the form distinguishedName gives, read from its DER (not Node's escaped text). */
export function subjectName(certPem: string): string {
  const cert = forge.asn1.fromDer(
    forge.util.createBuffer(Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('binary')),
  );
  // Certificate: tbsCertificate [version, serial, signature, issuer, validity, subject, ...].
  const subject = ((cert.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[5]!;
  return distinguishedName(Buffer.from(forge.asn1.toDer(subject).getBytes(), 'binary'));
}

/**
 * A DistinguishedName list (RFC 5246 §7.4.4, RFC 8446 §4.2.4: a 2-byte length, then 2-byte-length DER names) at `at`.
 */
function readCaNames(list: Buffer, at: number): { caNames: string[] } {
  const end = at + 2 + list.readUInt16BE(at);
  const caNames: string[] = [];
  for (at += 2; at + 2 <= end;) {
    const len = list.readUInt16BE(at);
    caNames.push(distinguishedName(list.subarray(at + 2, at + 2 + len)));
    at += 2 + len;
  }
  return { caNames };
}

/**
 * The CA names a CertificateRequest lists. TLS 1.2: certificate_types<1..2^8-1>, signature
 * algorithms<2..2^16-2>, certificate_authorities<0..2^16-1>. TLS 1.3: certificate_request_context<0..2^8-1>,
 * extensions, the names in certificate_authorities (47), which is optional (no names).
 */
function readCertificateRequest(body: Buffer, tls13 = false): { caNames: string[] } | undefined {
  try {
    if (tls13) {
      const authorities = extensionsOf(body, 1 + body[0]!).get(47);
      return authorities ? readCaNames(authorities, 0) : { caNames: [] };
    }
    const at = 1 + body[0]!;
    return readCaNames(body, at + 2 + body.readUInt16BE(at));
  } catch {
    return undefined;
  }
}

/**
 * What the clear part of the handshake says was negotiated; in TLS 1.3, with the server's
 * handshake traffic secret (the reference client's key log), the encrypted part too.
 */
export function readNegotiated(bytes: { c2s: Buffer; s2c: Buffer }, serverHandshakeSecret?: Buffer): Negotiated {
  const server = readFlight(bytes.s2c);
  const client = readFlight(bytes.c2s);
  const found: Negotiated = {};
  if (client.alert || server.alert)
    found.alert = { ...(client.alert ? { c2s: client.alert } : {}), ...(server.alert ? { s2c: server.alert } : {}) };
  if (readOffer(bytes.c2s)?.offersSession) found.sessionOffered = true;
  const hello = server.messages.find((m) => m.type === 2)?.body;
  if (!hello || hello.length < 38) return found;
  const at = suitesAt(hello);
  found.cipher = suiteName(hello.readUInt16BE(at));
  // One suite, then one compression method, then the extensions.
  const extensions = extensionsOf(hello, at + 3);
  const supported = extensions.get(43);
  const version = supported?.length === 2 ? supported.readUInt16BE(0) : hello.readUInt16BE(0);
  found.version = VERSION_NAMES[version] ?? `0x${version.toString(16)}`;
  if (version === 0x0304) found.resumed = extensions.has(41);
  else {
    const sessionId = (body: Buffer | undefined) =>
      body && body.length > 35 ? body.subarray(35, 35 + body[34]!) : Buffer.alloc(0);
    const offered = sessionId(client.messages.find((m) => m.type === 1)?.body);
    found.resumed = offered.length > 0 && offered.equals(sessionId(hello));
    found.secureRenegotiation = extensions.has(0xff01);
    if (server.messages.some((m) => m.type === 4)) found.ticketIssued = true;
  }
  const request = server.messages.find((m) => m.type === 13)?.body;
  if (request && version !== 0x0304) found.certificateRequest = readCertificateRequest(request);
  if (version === 0x0304 && serverHandshakeSecret) {
    const flight = decryptServerHandshake(bytes.s2c, found.cipher, serverHandshakeSecret);
    if (flight) {
      found.handshakeDecrypted = true;
      const request13 = flight.messages.find((m) => m.type === 13)?.body;
      if (request13) found.certificateRequest = readCertificateRequest(request13, true);
    }
  }
  const share = extensions.get(51);
  if (share && share.length >= 2) found.group = named(GROUPS, share.readUInt16BE(0));
  const ske = server.messages.find((m) => m.type === 12)?.body;
  if (ske && /^TLS_ECDHE_/.test(found.cipher) && ske[0] === 3) {
    found.group = named(GROUPS, ske.readUInt16BE(1));
    const sigAt = 4 + ske[3]!;
    if (version === 0x0303 && sigAt + 2 <= ske.length)
      found.signatureScheme = named(SIGNATURE_SCHEMES, ske.readUInt16BE(sigAt));
  } else if (ske && /^TLS_DHE_/.test(found.cipher)) {
    let i = 0;
    for (let k = 0; k < 3 && i + 2 <= ske.length; k += 1) i += 2 + ske.readUInt16BE(i);
    found.group = `ffdh (${ske.readUInt16BE(0) * 8}-bit)`;
    if (version === 0x0303 && i + 2 <= ske.length)
      found.signatureScheme = named(SIGNATURE_SCHEMES, ske.readUInt16BE(i));
  }
  return found;
}
