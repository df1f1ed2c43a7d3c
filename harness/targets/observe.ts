/** What each side of one connection attempt saw: the raw facts a probe turns into a verdict. */
import type { AppProtocol } from '../protocols/types.js';

export interface PeerIdentity {
  subject: Record<string, string>;
  subjectaltname?: string;
  issuer: Record<string, string>;
  serialNumber?: string;
}

/** What either side saw of the TLS session itself. */
interface SideObservation {
  handshake: boolean;
  authorized?: boolean;
  authorizationError?: string;
  /** The error Node reported (tlsClientError, a socket error), or a program's exit. */
  error?: string;
  peer?: PeerIdentity;
  protocol?: string;
  cipher?: string;
  /** Node's own account (isSessionReused): the handshake resumed a session. */
  resumed?: boolean;
  closed: boolean;
  /** An endpoint the harness only dials: what its application saw shows only in its answer. */
  remote?: boolean;
  /** A program's output during the attempt, and its exit status if it exited. */
  output?: string;
  exit?: number | string;
}

/** One TCP connection of a probe, as the reference server saw it (a client that retries makes several). */
export interface ConnectionSeen {
  handshake: boolean;
  authorized?: boolean;
  error?: string;
  /** Application bytes this connection delivered to the server application. */
  delivered: number;
}

export interface ServerObservation extends SideObservation {
  /** TCP connections the server accepted. */
  connections: number;
  /** Each connection on its own, in the order they came (an in-process server's account). */
  perConnection?: ConnectionSeen[];
  /** Application bytes the TLS layer handed to the server application. */
  delivered: Buffer;
  /**
   * The downgrade check: the harness's server declined TLS in the protocol's preamble, and these
   * are the bytes the client sent in clear after that (empty: it sent none).
   */
  clearAfterDecline?: Buffer;
  /** The downgrade check: the client went straight to TLS without asking, so there was nothing to decline. */
  declineNotAsked?: true;
  /** Application bytes the server application wrote. */
  written: Buffer;
}

export interface ClientObservation extends SideObservation {
  /** Standard cipher suite name, e.g. TLS_AES_128_GCM_SHA256. */
  standardCipher?: string;
  /** Key exchange group as the client saw it, e.g. X25519 or DH. */
  group?: string;
  /** The size of the OCSP response the server stapled to its certificate, when the client asked for one and got it. */
  ocspStapled?: number;
  /**
   * TLS 1.3: the server handshake traffic secret, from the client's key log (Node's 'keylog'
   * event), to read the server's encrypted flight. Never in the reports.
   */
  serverHandshakeSecret?: Buffer;
  /** Renegotiations the client started after its handshake and saw complete. */
  renegotiations?: number;
  /** Application bytes the client application wrote. */
  sent: Buffer;
  /** Application bytes the client application received. */
  received: Buffer;
  /**
   * The deadline came while the protocol's clear opening (a greeting, the answer to STARTTLS or an
   * SSLRequest) was still under way: the server showed nothing, TLS never started.
   */
  stalledBeforeTls?: true;
}

export type Timeline = (event: string) => void;

export function identityOf(
  cert: { subject?: object; issuer?: object; subjectaltname?: string; serialNumber?: string } | undefined,
): PeerIdentity | undefined {
  if (!cert || !cert.subject || Object.keys(cert.subject).length === 0) return undefined;
  const plain = (o: object | undefined) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    subject: plain(cert.subject),
    issuer: plain(cert.issuer),
    subjectaltname: cert.subjectaltname,
    serialNumber: cert.serialNumber,
  };
}

export function errorCode(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.code ?? e?.message ?? String(err);
}

/** What a client role is asked to do in one probe. */
export interface ClientRun {
  host: string;
  port: number;
  /** The name the client must verify (an IP address or a DNS name); it connects to host:port whatever the name. */
  name: string;
  payload: Buffer;
  /** The sentinel the server's answer carries, for clients that can only show it in their output. */
  answerSentinel?: string;
  signal: AbortSignal;
  log: Timeline;
  /** The protocol the server speaks: a client of the harness's own does its preamble before TLS. */
  protocol?: AppProtocol;
  /** The size the payload was asked to be (the record-size probes), for a protocol that converses. */
  payloadBytes?: number;
  /** The probe's sentinel, for a protocol that converses to carry. */
  sentinel?: string;
}
