/**
 * An application protocol, as the harness speaks it to a server under test: the request it sends
 * once TLS is up (carrying the probe's sentinel), and how the answer reads. Adding a protocol is a
 * module of this shape in index.ts; the probe, the sides and the specs never name one.
 */

/** What an answer shows, in the probe's words. */
export interface AnswerReading {
  verdict: 'accepted' | 'rejected' | 'inconclusive';
  reason: string;
}

export interface AppProtocol {
  readonly name: string;
  /** The harness's first request to a server once TLS is up; `size` pads it (the record-size probes). */
  request(sentinel: string, server: { name?: string; port: number }, size?: number): Buffer;
  /**
   * How the server's answer reads, where the answer decides (HTTP's status). Absent: the bytes
   * that came back, and what the server's application saw, decide.
   */
  readAnswer?(received: Buffer): AnswerReading | undefined;
  /**
   * Whether a server program's output showing the sentinel is its account of acceptance (an echo
   * server's). Not where the answer decides: a server's log may quote a request it refused.
   */
  readonly outputShowsSentinel: boolean;
  /** The answer's status code, for the evidence, where the protocol has one. */
  status?(received: Buffer): number | undefined;
}
