/**
 * An application protocol, in both directions: as the harness's client (against a server under
 * test) what it does before TLS, what it sends once TLS is up and how the answer reads; as the
 * harness's server (against a client under test) how it plays the service far enough for a real
 * client to send its first request after TLS. Adding a protocol is a module of this shape in
 * index.ts; the probe, the sides and the specs never name one.
 */
import type { Direction } from '../tls-records.js';

/** What an answer shows, in the probe's words. */
export interface AnswerReading {
  verdict: 'accepted' | 'rejected' | 'inconclusive';
  reason: string;
}

/** Reads exactly what a preamble needs from a socket before TLS; whatever came after stays for TLS. */
export interface PreambleIo {
  read(bytes: number): Promise<Buffer>;
  /** One framed message: `length(head)` says the whole message's size once `head` bytes are in. */
  readFramed(head: number, length: (head: Buffer) => number): Promise<Buffer>;
  /** Puts bytes back in front of what is still unread (a peer that started TLS at once). */
  unread(bytes: Buffer): void;
  write(bytes: Buffer): void;
  log(event: string): void;
}

/**
 * A protocol's options (`protocol: { name, ...options }`), each with its check: the problem with
 * a value in words (naming what it must be), or undefined when it is fine.
 */
export type OptionChecks = Record<string, (value: unknown) => string | undefined>;

/** How a server under the harness's play answers a client's request for TLS. */
export type PreambleAnswer = 'tls' | 'decline';

/** What the harness's server did before TLS, and what the client sent in clear after a decline. */
export interface ServerPreambleResult {
  /** The client asked for TLS in the protocol's own way (an SSLRequest); false: it went straight to TLS. */
  requested: boolean;
}

export interface AppProtocol {
  readonly name: string;
  /** The ALPN protocols both reference peers offer (HTTP/2's `h2`: gRPC servers may refuse a connection without it). */
  readonly alpn?: readonly string[];
  /** The harness's first request to a server once TLS is up; `size` pads it (the record-size probes). */
  request(sentinel: string, server: { name?: string; port: number }, size?: number): Buffer;
  /**
   * How the server's answer reads, where the answer decides (HTTP's status, a database's refusal).
   * Absent: the bytes that came back, and what the server's application saw, decide.
   */
  readAnswer?(received: Buffer): AnswerReading | undefined;
  /**
   * Whether a server program's output showing the sentinel is its account of acceptance (an echo
   * server's). Not where the answer decides: a server's log may quote a request it refused.
   */
  readonly outputShowsSentinel: boolean;
  /**
   * As the harness's client, once TLS is up and `request` is written, where one answer is not the
   * protocol's exchange (SMTP: EHLO, then MAIL FROM and RCPT TO, each answered in turn): reads the
   * answers and writes what follows (carrying `sentinel` where it can), stopping at a refusal.
   * `size` asks for a request that long in all (the record-size probes). Everything the server
   * answered goes to `readAnswer`. Absent: the first answer to `request` is the exchange.
   */
  converse?(io: PreambleIo, sentinel: string, size?: number): Promise<void>;
  /**
   * What a client sent in clear after the harness's server declined TLS, when it only ends the
   * session (LDAP's UnbindRequest), named; undefined when the client carried on in clear.
   */
  goodbye?(clear: Buffer): string | undefined;
  /** The answer's status code, for the evidence, where the protocol has one. */
  status?(received: Buffer): number | undefined;

  /**
   * As the harness's client, before TLS (PostgreSQL's SSLRequest and its `S`; MySQL's greeting and
   * SSLRequest). Throws when the server declines TLS, with its words.
   */
  clientPreamble?(io: PreambleIo): Promise<void>;
  /**
   * As the harness's server, before TLS: answer the client's request for TLS (`tls`), or decline
   * it (`decline`, the downgrade check). Absent: TLS from the first byte.
   */
  serverPreamble?(io: PreambleIo, answer: PreambleAnswer): Promise<ServerPreambleResult>;
  /**
   * As the harness's server, once the client's first request has arrived after TLS: what the
   * service answers, carrying the sentinel where the protocol lets a client show it (a refusal's
   * message a client prints). `size` pads it (the record-size probes); `request` is what the
   * client sent (an MQTT CONNECT's version decides the CONNACK's form).
   */
  answer(sentinel: string, size?: number, request?: Buffer): Buffer;
  /**
   * As the harness's server: whether what the client sent so far holds its first request, for a
   * protocol whose first bytes are not it (HTTP/2's preface and SETTINGS come first). Absent: the
   * first bytes are.
   */
  requestComplete?(received: Buffer): boolean;
  /**
   * As the harness's server: what it sends as soon as TLS is up, before any request (HTTP/2's
   * SETTINGS, which a gRPC client waits for before it asks anything).
   */
  readonly opening?: Buffer;
  /**
   * Where TLS starts in each direction of a connection, for the wire tap: the preamble's length
   * once `seen` holds enough of it, else undefined. Absent: TLS from the first byte.
   */
  preambleLength?(direction: Direction, seen: Buffer): number | undefined;
}
