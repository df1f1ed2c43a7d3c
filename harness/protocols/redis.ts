/**
 * `redis`: RESP (the Redis serialization protocol), TLS from the first byte. The harness sends
 * `PING <sentinel>` (or a role's `command`); any RESP reply is the server serving the client:
 * `+PONG`, the sentinel back, or `-NOAUTH` (a password prompt is a client let in past the
 * certificate check). Redis refuses a certificate only in TLS (`tls-auth-clients`).
 */
import type { AnswerReading, AppProtocol, OptionChecks } from './types.js';

export interface RedisOptions {
  /** The command to send instead of `PING <sentinel>` (its words, e.g. ['INFO', 'server']). */
  command?: string[];
}
export const REDIS_OPTIONS: OptionChecks = {
  command: (v) =>
    Array.isArray(v) && v.length > 0 && v.every((w) => typeof w === 'string')
      ? undefined
      : 'a non-empty list of strings (the command and its arguments)',
};

/** A RESP array of bulk strings: how a client sends a command. */
export function respCommand(words: string[]): Buffer {
  return Buffer.from(`*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`);
}

const RESP_TYPES: Record<string, string> = {
  '+': 'a simple string',
  '-': 'an error',
  ':': 'an integer',
  $: 'a bulk string',
  '*': 'an array',
  '%': 'a map',
  _: 'a null',
};

export function readRedisAnswer(received: Buffer): AnswerReading | undefined {
  if (received.length === 0) return undefined;
  const line = received.subarray(0, Math.min(received.length, 80)).toString('latin1').split('\r\n')[0]!;
  const kind = RESP_TYPES[line[0]!];
  if (!kind)
    return {
      verdict: 'inconclusive',
      reason: `the server answered something that is not RESP: ${JSON.stringify(line)}`,
    };
  if (line.startsWith('-NOAUTH') || line.startsWith('-WRONGPASS'))
    return {
      verdict: 'accepted',
      reason: `the server asked the client for a password (${JSON.stringify(line)}): past the certificate check`,
    };
  return {
    verdict: 'accepted',
    reason: `the server served the command: ${kind}, ${JSON.stringify(line.slice(0, 60))}`,
  };
}

export function redisWith(options: RedisOptions): AppProtocol {
  return {
    name: 'redis',
    request: (sentinel, _server, size = 0) =>
      respCommand(options.command ?? ['PING', sentinel + '.'.repeat(Math.max(0, size - sentinel.length - 30))]),
    readAnswer: readRedisAnswer,
    outputShowsSentinel: false,
    // A simple string a client prints (redis-cli prints it as is), carrying the sentinel.
    answer: (sentinel, size = 0) =>
      Buffer.from(`+${sentinel}${'.'.repeat(Math.max(0, size - sentinel.length - 3))}\r\n`),
  };
}

export const redis = redisWith({});
