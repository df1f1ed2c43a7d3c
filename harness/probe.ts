/**
 * The probe: the single place that turns one connection attempt into an Outcome.
 *
 * accepted     application data crossed between the applications (with the bytes as proof);
 * rejected     the connection ended with an alert, error, reset or close and no application
 *              data was delivered to either application;
 * inconclusive anything else (nothing crossed and nothing ended before the deadline, a tamper
 *              that found no record to alter, ...). It fails every expectation.
 *
 * TLS 1.2 vs 1.3 is handled here and nowhere else. On TLS 1.3 the client's handshake completes
 * before the server has judged the client certificate, and a Node server rejects by destroying
 * the socket without an alert; so the client always writes, then reads, and only the server
 * application's answer (or the bytes reaching it) proves acceptance. On TLS 1.3, encrypted
 * handshake messages travel in application_data records; a tamper aimed at application data
 * targets a record longer than any of those (see sentinelLine in protocols/raw.ts).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { SERVER_IP } from '../fixtures/profiles.js';
import { readNegotiated, readOffer, SUITE_FAMILIES, type Negotiated, type SuiteFamily } from './hello.js';
import type { PinnedVersion } from './tls.js';
import type { ClientSide, ServerSide } from './targets/sides.js';
import type { ClientObservation, ServerObservation } from './targets/observe.js';
import { errorFirst } from './targets/command.js';
import { startTap, type Tamper, type Tap, type WireCapture, RECORD_TYPES } from './wire.js';
import { sentinelLine } from './protocols/raw.js';

export type Verdict = 'accepted' | 'rejected' | 'inconclusive';
export type Dial = 'ip' | 'dns';

/** How a client names the server it dials: an IP literal, or a DNS name. */
export function dialOf(name: string): Dial {
  return net.isIP(name) ? 'ip' : 'dns';
}

export interface ProbeRequest {
  /**
   * The TLS version the reference peer is pinned to: a version the suite runs under, or an obsolete one offered on
   * purpose.
   */
  version: PinnedVersion;
  server: ServerSide;
  client: ClientSide;
  /** The name the client verifies: an IP address (no SNI) or a DNS name (sent as SNI). Default 127.0.0.1. */
  name?: string;
  /**
   * What decides: 'application' (application data crossed), or 'server-hello' (for a hand-written
   * ClientHello: the server chose a suite, or refused).
   */
  judge?: 'application' | 'server-hello';
  tamper?: Tamper;
  /**
   * Bytes the client application sends (or how to make them from where the server listens: an HTTP Host); a sentinel
   * payload when absent.
   */
  payload?: Buffer | ((server: { host: string; port: number }) => Buffer);
  /** The size the payload was asked to be, for a protocol whose exchange is a conversation. */
  payloadBytes?: number;
  /** The sentinel the server's answer carries (the reference server's), when known. */
  answerSentinel?: string;
  /**
   * Decide as soon as the sentinel reached the server application (the target's server against the
   * reference client): an application that never answers does not make the probe wait out its
   * deadline. The server's answer, if any, is given a moment (ANSWER_GRACE_MS) to arrive.
   */
  early?: boolean;
  timeoutMs?: number;
  /**
   * A check about resumption: a resumed handshake is what it looks for, so it is evidence, not an
   * inconclusive probe. Everywhere else a probe that resumed shows nothing.
   */
  allowResumption?: boolean;
}

export interface Evidence {
  /** The version the probe ran under (the reference peer's pin). */
  version: string;
  dial: Dial;
  name: string;
  /** The server name the client sent (SNI), if any, and the HTTP Host it asked for. */
  sni?: string;
  httpHost?: string;
  /** The HTTP status the server answered, for an `http` server. */
  httpStatus?: number;
  /** What the clear part of the handshake on the wire says was negotiated. */
  negotiated: Negotiated;
  /**
   * Whether the handshake resumed a session (the wire, or Node's account of either side). Always
   * false outside checks about resumption: a resumed handshake checks no certificate, so a probe
   * that resumed another probe's session shows nothing, and is inconclusive.
   */
  resumed: boolean;
  /** The probe was one of a check about resumption (resumption allowed). */
  resumptionAllowed?: true;
  server: { label: string; profile?: string } & Omit<ServerObservation, 'delivered' | 'written'> & {
      delivered: number;
      written: number;
      alert?: string;
    };
  client: { label: string; profile?: string } & Omit<ClientObservation, 'sent' | 'received'> & {
      sent: number;
      received: number;
      alert?: string;
    };
  wire: {
    records: string;
    tampered?: WireCapture['tampered'];
    malformed: string[];
    /**
     * A probe of several connections (a client that retried): each with what crossed it, whether
     * it was tampered, and what the server saw of it. Every connection gets the probe's condition
     * (the same certificate, the same tamper); data delivered on any one of them is acceptance.
     */
    connections?: ConnectionSummary[];
  };
  timeline: string[];
  elapsedMs: number;
  /** A probe tried twice: why the first attempt showed nothing (it stalled). */
  firstTry?: string;
}

export interface ConnectionSummary {
  connection: number;
  records: string;
  tampered: boolean;
  /** What the server made of it: its handshake, error and application bytes (an in-process server's account). */
  server?: string;
}

export interface Outcome {
  verdict: Verdict;
  reason: string;
  evidence: Evidence;
  /** The raw capture; kept out of the evidence because reports want a summary, not bytes. */
  capture: WireCapture;
  /** Known application plaintext each way (from whichever side could see it). */
  plaintext: { c2s: Buffer; s2c: Buffer };
  /** The sentinel the client payload carries. */
  sentinel: string;
  /** Programs' whole output (the evidence keeps a clipped copy). */
  transcript: { server?: string; client?: string };
  /** Nothing crossed and nothing ended before the deadline: the attempt showed nothing. */
  stalled?: true;
}

/** Head and tail of a long output: what a reader of the report needs. */
function clip(text: string | undefined, keep = 1200): string | undefined {
  if (text === undefined || text.length <= 2 * keep) return text;
  return `${text.slice(0, keep)}\n[... ${text.length - 2 * keep} characters ...]\n${text.slice(-keep)}`;
}

/** After the sentinel reached the server application: how long its answer may take, for the evidence. */
const ANSWER_GRACE_MS = 250;

export const DEFAULT_TIMEOUT_MS =
  Number(process.env.MTLS_PROBE_TIMEOUT_MS) > 0 ? Number(process.env.MTLS_PROBE_TIMEOUT_MS) : 5000;

/** A fresh random sentinel: unique per probe so a match on the wire cannot be a coincidence. */
export function sentinel(tag: string): string {
  return `mtls-${tag}-${randomBytes(12).toString('hex')}`;
}

/**
 * A payload whose record outgrows every TLS 1.3 encrypted handshake record (certificate chains
 * here are a few KiB), so a tamper aimed at `minLength` hits the payload's own record.
 */
export const TAMPER_PAYLOAD_BYTES = 12_000;

export function alertOf(code: string | undefined): string | undefined {
  const m = code?.match(/ALERT_([A-Z0-9_]+)$/);
  return m ? m[1]!.toLowerCase() : undefined;
}

function summariseRecords(capture: WireCapture, connection?: number): string {
  const counts = new Map<string, number>();
  for (const r of capture.records) {
    if (connection !== undefined && r.connection !== connection) continue;
    const key = `${r.direction} ${RECORD_TYPES[r.type] ?? r.type}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} x${n}`).join(', ') || 'none';
}

/** The last lines of a program's output, on one line. */
function lastLinesOf(text: string | undefined): string {
  return (text ?? '').trim().split('\n').slice(-3).join(' | ') || '(no output)';
}

function decide(
  req: ProbeRequest,
  server: ServerObservation,
  client: ClientObservation,
  capture: WireCapture,
  timedOut: boolean,
  timeoutMs: number,
): { verdict: Verdict; reason: string; stalled?: true } {
  const { tamper } = req;
  if (req.judge === 'server-hello') {
    if (client.stalledBeforeTls) return stalledOpening(req, capture, timeoutMs);
    const n = readNegotiated(capture.bytes);
    if (n.cipher)
      return {
        verdict: 'accepted',
        reason: `the server answered the ClientHello with a ServerHello choosing ${n.cipher} (${n.version})`,
      };
    if (n.alert?.s2c)
      return { verdict: 'rejected', reason: `the server answered the ClientHello with a ${n.alert.s2c} alert` };
    if (server.closed || client.closed)
      return { verdict: 'rejected', reason: 'the server closed the connection without a ServerHello' };
    return {
      verdict: 'inconclusive',
      reason: `the server sent no ServerHello, alert or close within ${timeoutMs} ms`,
      stalled: true,
    };
  }
  // The downgrade check: the harness's server declined TLS; what the client did next decides.
  if (server.declineNotAsked)
    return {
      verdict: 'inconclusive',
      reason: 'the client started TLS without asking for it in its protocol, so the server had nothing to decline',
    };
  if (server.clearAfterDecline !== undefined) {
    const clear = server.clearAfterDecline;
    const goodbye = clear.length ? req.server.protocol.goodbye?.(clear) : undefined;
    if (goodbye)
      return {
        verdict: 'rejected',
        reason: `the server declined TLS and the client only ended the session, in clear (${goodbye})`,
      };
    if (clear.length > 0)
      return {
        verdict: 'accepted',
        reason:
          `the server declined TLS and the client carried on in clear: it sent ${clear.length} bytes ` +
          `(${JSON.stringify(clear.subarray(0, 48).toString('latin1'))})`,
      };
    if (client.closed || client.exit !== undefined || server.closed)
      return {
        verdict: 'rejected',
        reason:
          'the server declined TLS and the client sent nothing more' +
          (client.output !== undefined ? `; its last output: ${lastLinesOf(client.output)}` : ''),
      };
  }
  // Nothing reached TLS, so nothing could be altered: a stall, tried again, not an untampered probe.
  if (client.stalledBeforeTls) return stalledOpening(req, capture, timeoutMs);
  if (tamper && !capture.tampered) {
    return {
      verdict: 'inconclusive',
      reason: `no ${tamper.record} record in ${tamper.direction} matched the tamper, so nothing was altered`,
    };
  }
  // An altered application_data record is judged at its receiver: the sender's application may
  // legitimately have delivered data the other way before the altered record was sent.
  const receiverOnly = tamper?.record === 'application_data' ? tamper.direction : undefined;
  const delivered = receiverOnly === 's2c' ? 0 : server.delivered.length;
  const received = receiverOnly === 'c2s' ? 0 : client.received.length;
  // Where the protocol's answer decides (HTTP's status), it does, read by the protocol.
  const answer =
    receiverOnly !== 's2c' && !req.server.reference ? req.server.protocol.readAnswer?.(client.received) : undefined;
  if (answer) return answer;
  // A program that exited is not by itself a program that rejected: only TLS evidence on the wire
  // makes it a rejection. One that died before its peer heard anything from it showed nothing.
  const spoke = (dir: 'c2s' | 's2c') => capture.records.some((r) => r.direction === dir);
  if (delivered === 0 && received === 0) {
    if (server.exit !== undefined && server.output !== undefined && !spoke('s2c')) {
      return {
        verdict: 'inconclusive',
        reason:
          `the server program exited (${server.exit}) before it answered the ClientHello; ` +
          `${errorFirst(server.output)}its last output: ${lastLinesOf(server.output)}`,
      };
    }
    if (client.exit !== undefined && client.output !== undefined && !spoke('c2s')) {
      return {
        verdict: 'inconclusive',
        reason:
          `the client program exited (${client.exit}) without sending a ClientHello; ` +
          `${errorFirst(client.output)}its last output: ${lastLinesOf(client.output)}`,
      };
    }
  }
  if (delivered > 0 || received > 0) {
    const parts = [];
    if (delivered)
      parts.push(
        server.output !== undefined
          ? 'the sentinel reached the server program (its output shows it)'
          : `the server application received ${delivered} bytes`,
      );
    if (received)
      parts.push(
        client.output !== undefined
          ? "the server's answer reached the client program (its output shows it)"
          : `the client application received ${received} bytes`,
      );
    return { verdict: 'accepted', reason: parts.join(' and ') };
  }
  const signals = [
    client.error && `client error ${client.error}`,
    server.error && `server error ${server.error}`,
    server.authorizationError && `server authorizationError ${server.authorizationError}`,
    client.authorizationError && !client.error && `client authorizationError ${client.authorizationError}`,
  ].filter(Boolean) as string[];
  const ended = client.closed || server.closed;
  if (signals.length > 0 || (ended && !timedOut)) {
    const how = signals.length
      ? signals.join('; ')
      : `the connection was closed (client handshake ${client.handshake ? 'completed' : 'not completed'})`;
    const exited =
      server.exit !== undefined && server.exit !== 0
        ? `; the server program then exited (${server.exit}): ${lastLinesOf(server.output)}`
        : '';
    return { verdict: 'rejected', reason: `no application data crossed; ${how}${exited}` };
  }
  return {
    verdict: 'inconclusive',
    reason:
      `no application data crossed and the connection did not end within ${timeoutMs} ms (client handshake ` +
      `${client.handshake ? 'completed' : 'not completed'}, ${capture.records.length} records on the wire)`,
    stalled: true,
  };
}

/** The protocol's clear opening (a greeting, the answer to STARTTLS) did not end by the deadline. */
function stalledOpening(
  req: ProbeRequest,
  capture: WireCapture,
  timeoutMs: number,
): { verdict: Verdict; reason: string; stalled: true } {
  return {
    verdict: 'inconclusive',
    reason:
      `the server's ${req.server.protocol.name} opening before TLS did not finish within ${timeoutMs} ms ` +
      `(${capture.preamble.s2c.length} bytes in clear from the server)`,
    stalled: true,
  };
}

/** How much longer a second try of a stalled probe waits. */
const STALLED_RETRY_FACTOR = 3;

/**
 * One connection attempt, and a second with three times the time when the first stalled (nothing
 * crossed and nothing ended before the deadline): a stall shows nothing about the peer, and on a
 * loaded machine a peer that refuses at once can still take seconds to be scheduled. The second
 * attempt's outcome is the probe's; the first's reason stays in the evidence.
 */
export async function probe(req: ProbeRequest): Promise<Outcome> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const first = await attempt(req, timeoutMs);
  if (!first.stalled) return first;
  const second = await attempt(req, timeoutMs * STALLED_RETRY_FACTOR);
  return {
    ...second,
    reason: `${second.reason} (a second try: the first stalled, ${first.reason})`,
    evidence: { ...second.evidence, firstTry: first.reason },
  };
}

async function attempt(req: ProbeRequest, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  const timeline: string[] = [];
  const log = (event: string) => timeline.push(`${(performance.now() - started).toFixed(1)}ms ${event}`);
  const name = req.name ?? SERVER_IP;
  const dial = dialOf(name);
  const sentinelText = sentinel('c2s');
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Ends the client's run early once acceptance is proven (req.early).
  const settled = new AbortController();
  let grace: NodeJS.Timeout | undefined;

  let tap: Tap | undefined;
  try {
    const upstream = await req.server.endpoint(log);
    // The deadline is the peer's time to answer: it starts once the server is up (a program's start
    // is bounded by its own readiness timeout; seen under load: PostgreSQL's start took most of the
    // probe's 5 s, and the handshake after it was cut off).
    timer = setTimeout(() => deadline.abort('deadline'), timeoutMs);
    const payload =
      typeof req.payload === 'function' ? req.payload(upstream) : (req.payload ?? sentinelLine(sentinelText));
    const payloadSentinel = payload.toString('latin1').match(/mtls-c2s-[0-9a-f]{24}/)?.[0] ?? sentinelText;
    tap = await startTap(upstream, req.tamper, req.client.dialsPort, req.client.host, req.server.protocol);
    if (req.early && req.server.watch) {
      req.server.watch(payloadSentinel, AbortSignal.any([deadline.signal, settled.signal]), () => {
        log('probe: the sentinel reached the server application; accepted');
        grace ??= setTimeout(() => settled.abort('accepted'), ANSWER_GRACE_MS);
      });
    }
    const client = await req.client.run({
      host: tap.host,
      port: tap.port,
      name,
      payload,
      answerSentinel: req.answerSentinel,
      signal: AbortSignal.any([deadline.signal, settled.signal]),
      log,
      protocol: req.server.protocol,
      payloadBytes: req.payloadBytes,
      sentinel: payloadSentinel,
    });
    // Decided by the client's evidence alone: an alert from the server's TLS stack (nothing after
    // it reaches an application), or an answer from the server's application.
    const settledByClient =
      !!alertOf(client.error) || (client.received.length > 0 && req.tamper?.record !== 'application_data');
    const server = await req.server.observe({
      sentinel: payloadSentinel,
      deadline: deadline.signal,
      log,
      settled: settledByClient,
    });
    const timedOut = deadline.signal.aborted;
    const capture = tap.capture();
    const negotiated = readNegotiated(capture.bytes, client.serverHandshakeSecret);
    const resumed = !!(negotiated.resumed || server.resumed || client.resumed);
    const decided = decide(req, server, client, capture, timedOut, timeoutMs);
    const { verdict, reason, stalled } =
      resumed && req.judge !== 'server-hello' && !req.allowResumption
        ? {
            verdict: 'inconclusive' as const,
            reason:
              `the handshake resumed an earlier session (${resumedBy(negotiated, server, client)}): ` +
              `a resumed handshake checks no certificate, so this probe shows nothing (it would have been ` +
              `${decided.verdict}: ${decided.reason})`,
          }
        : decided;
    const { delivered, written, ...serverRest } = server;
    // The key log's secret reads the capture; it is not evidence a report should carry.
    const { sent, received, serverHandshakeSecret: _secret, ...clientRest } = client;
    return {
      verdict,
      reason,
      ...(stalled ? { stalled } : {}),
      sentinel: payloadSentinel,
      transcript: { server: server.output, client: client.output },
      plaintext: { c2s: sent.length ? sent : delivered, s2c: written.length ? written : received },
      capture,
      evidence: {
        version: req.version,
        dial,
        name,
        sni: readOffer(capture.bytes.c2s)?.serverName,
        httpHost: payload
          .subarray(0, 512)
          .toString('latin1')
          .match(/\r\nHost: ([^\r]+)\r\n/)?.[1],
        ...(req.server.protocol.status?.(client.received) !== undefined
          ? { httpStatus: req.server.protocol.status(client.received) }
          : {}),
        negotiated,
        resumed,
        ...(req.allowResumption ? { resumptionAllowed: true as const } : {}),
        server: {
          label: req.server.label,
          profile: req.server.profile,
          ...serverRest,
          output: clip(server.output),
          delivered: delivered.length,
          written: written.length,
          alert: alertOf(server.error),
        },
        client: {
          label: req.client.label,
          profile: req.client.profile,
          ...clientRest,
          output: clip(client.output),
          sent: sent.length,
          received: received.length,
          alert: alertOf(client.error),
        },
        wire: {
          records: summariseRecords(capture),
          tampered: capture.tampered,
          malformed: capture.malformed,
          ...connectionsOf(capture, server),
        },
        timeline,
        elapsedMs: Math.round(performance.now() - started),
      },
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    settled.abort('done');
    await tap?.close();
    await req.server.release();
  }
}

/** Who says a handshake resumed: the wire, the server, the client. */
function resumedBy(negotiated: Negotiated, server: ServerObservation, client: ClientObservation): string {
  const who = [
    negotiated.resumed && 'on the wire',
    server.resumed && 'the server says so',
    client.resumed && 'the client says so',
  ];
  return who.filter(Boolean).join(', ');
}

/** Each connection of a probe that had several (a client that retried), for the evidence. */
function connectionsOf(capture: WireCapture, server: ServerObservation): { connections?: ConnectionSummary[] } {
  if (capture.connections < 2) return {};
  const seen = server.perConnection ?? [];
  return {
    connections: Array.from({ length: capture.connections }, (_, i) => {
      const s = seen[i];
      const account =
        s &&
        (s.delivered
          ? `application data delivered (${s.delivered} bytes)`
          : s.handshake
            ? `handshake completed${s.authorized === false ? ' (client not authorized)' : ''}` +
              `${s.error ? `, then ${s.error}` : ''}, no application data`
            : `handshake failed${s.error ? `: ${s.error}` : ''}`);
      return {
        connection: i + 1,
        records: summariseRecords(capture, i),
        tampered: capture.tamperedAll.some((t) => t.connection === i),
        ...(account ? { server: account } : {}),
      };
    }),
  };
}

/**
 * Judges a client's offer from a probe that let it connect: a client that offers a suite of the
 * family would negotiate it with a server that picks it. The probe itself must have been
 * accepted (the positive control): its ClientHello is then known to be the client's real one.
 */
export function judgeOffer(outcome: Outcome, family: SuiteFamily): Outcome {
  const offer = readOffer(outcome.capture.bytes.c2s);
  if (!offer) return { ...outcome, verdict: 'inconclusive', reason: 'no ClientHello was captured from the client' };
  const offending = offer.suites.filter(SUITE_FAMILIES[family]);
  const verdict: Verdict = offending.length ? 'accepted' : 'rejected';
  const reason = offending.length
    ? `the client offers ${offending.join(', ')} in its ClientHello (${offer.suites.length} suites offered)`
    : `none of the client's ${offer.suites.length} offered suites is a ${family} suite (${offer.suites.join(', ')})`;
  return { ...outcome, verdict, reason };
}

/** Errors and alerts by which a peer says it does not speak the version offered. */
const VERSION_REFUSAL =
  /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|protocol_version|WRONG_VERSION_NUMBER/;

/**
 * Whether a rejected outcome is a refusal of the TLS version itself (a protocol_version alert, or
 * the error that stands for one), and the evidence for it. Anything else is not.
 */
export function versionRefusal(outcome: Outcome): string | undefined {
  if (outcome.verdict !== 'rejected') return undefined;
  const e = outcome.evidence;
  const seen = [
    e.negotiated.alert?.s2c && `alert ${e.negotiated.alert.s2c} from the server`,
    e.negotiated.alert?.c2s && `alert ${e.negotiated.alert.c2s} from the client`,
    e.server.error && `server error ${e.server.error}`,
    e.client.error && `client error ${e.client.error}`,
  ].filter((x): x is string => !!x);
  const refusal = seen.filter((x) => VERSION_REFUSAL.test(x));
  return refusal.length ? refusal.join('; ') : undefined;
}
