/**
 * What a check asks of one probe of the target's server or client: the peer's certificate, and the conditions around
 * it.
 */
import type { ClientProfile, IntermediateProfile, ServerProfile } from '../../fixtures/profiles.js';
import type { PinnedVersion } from '../tls.js';
import type { Tamper } from '../wire.js';

export interface ServerProbe {
  /** The client certificate the reference client presents; 'none' presents nothing. */
  client: ClientProfile | 'none';
  /** The intermediates the reference client sends after its certificate. */
  chain?: IntermediateProfile[];
  /** Pin the reference client to this version instead of the check's (an obsolete one, on purpose). */
  pin?: PinnedVersion;
  tamper?: Tamper;
  payloadBytes?: number;
  /**
   * A check about resumption: the reference client offers the jar's session (if any) and keeps
   * the one it gets; a resumed handshake is evidence rather than an inconclusive probe.
   */
  session?: SessionJar;
  /**
   * 'rotated': the target's server is (re)started trusting another client CA (the foreign CA: the
   * same subject, another key), keeping whatever else its configuration says (its ticket keys).
   */
  trust?: 'rotated';
  /** The CRLs the target's role is given: the run's, or the root CA's CRL replaced by a broken one. */
  targetCrl?: CrlVariant;
  /** Dial another of the server's names (SNI and Host) than the one this project tests. */
  name?: string;
  /** The reference client renegotiates this many times (TLS 1.2) after its handshake, then writes. */
  renegotiations?: number;
  /**
   * The reference client is one that answers a certificate asked for after the handshake (a TLS 1.3
   * post-handshake CertificateRequest, a TLS 1.2 renegotiation): Python's ssl, not Node's.
   */
  postHandshake?: true;
}

/** A broken root-CA CRL: past its nextUpdate, or its signature altered. */
export type CrlVariant = 'expired' | 'bad-signature';

/** The session a reference client keeps between the probes of one check. */
export class SessionJar {
  session?: Buffer;
}

export interface ClientProbe {
  /** The server certificate the reference server presents. */
  server: ServerProfile;
  /** The intermediates the reference server sends after its certificate. */
  chain?: IntermediateProfile[];
  /**
   * The exact name the client must verify, where the check picks it (a wildcard's domain);
   * otherwise the property's dial need decides (harness/dial.ts).
   */
  name?: string;
  /** Pin the reference server to this version instead of the check's (an obsolete one, on purpose). */
  pin?: PinnedVersion;
  tamper?: Tamper;
  answerBytes?: number;
  /**
   * A check about resumption: the reference server issues tickets under these keys (the check's
   * own), and a resumed handshake is evidence rather than an inconclusive probe.
   */
  resumable?: Buffer;
  targetCrl?: CrlVariant;
  /** 'rotated': the target's client trusts another CA (the foreign CA: the same subject, another key). */
  trust?: 'rotated';
  /**
   * The downgrade check: the reference server declines TLS in the protocol's clear start
   * (PostgreSQL's `N`), and sees whether the client carries on in clear.
   */
  declineTls?: true;
}
