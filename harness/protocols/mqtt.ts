/**
 * `mqtt`: MQTT 3.1.1 (OASIS, §3.1 CONNECT, §3.2 CONNACK) or 5.0 with `version: 5`; TLS from the
 * first byte. The harness's CONNECT carries the sentinel as its client identifier.
 * Accepted: CONNACK 0 (5.0: reason 0), or a refusal of the user name or password (3.1.1 code 4,
 * 5.0 reason 0x86): a client past the certificate check. Refused: CONNACK 5 "not authorized"
 * (5.0: 0x87), as mosquitto's `use_identity_as_username` refuses an unknown identity.
 */
import type { AnswerReading, AppProtocol, OptionChecks } from './types.js';

export interface MqttOptions {
  /** 4 (MQTT 3.1.1, the default) or 5 (MQTT 5.0). */
  version?: 4 | 5;
}
export const MQTT_OPTIONS: OptionChecks = {
  version: (v) => (v === 4 || v === 5 ? undefined : '4 (MQTT 3.1.1) or 5 (MQTT 5.0)'),
};

function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}
const utf8 = (s: string) => {
  const b = Buffer.from(s);
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length);
  return Buffer.concat([l, b]);
};
const fixed = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), remainingLength(body.length), body]);

/** CONNECT, clean session, keep-alive 60 s; a size pads with a QoS 0 PUBLISH that follows it. */
export function connectPacket(clientId: string, version: 4 | 5 = 4, size = 0): Buffer {
  const head = Buffer.concat([
    utf8('MQTT'),
    Buffer.from([version, 0x02, 0, 60]),
    ...(version === 5 ? [Buffer.from([0])] : []),
  ]);
  const connect = fixed(0x10, Buffer.concat([head, utf8(clientId)]));
  if (size <= connect.length) return connect;
  return Buffer.concat([connect, publishPacket('mtls/probe', '.'.repeat(size - connect.length - 20), version)]);
}

export function publishPacket(topic: string, payload: string, version: 4 | 5 = 4): Buffer {
  return fixed(0x30, Buffer.concat([utf8(topic), ...(version === 5 ? [Buffer.from([0])] : []), Buffer.from(payload)]));
}

/** The protocol level of a CONNECT (4 or 5), from its variable header. */
export function connectVersion(connect: Buffer): 4 | 5 {
  let at = 1;
  while (at < connect.length && (connect[at]! & 0x80) !== 0) at++;
  return connect[at + 1 + 6] === 5 ? 5 : 4;
}

export function connack(code: number, version: 4 | 5 = 4): Buffer {
  return fixed(0x20, Buffer.from(version === 5 ? [0, code, 0] : [0, code]));
}

const V4_CODES: Record<number, string> = {
  0: 'connection accepted',
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};
const V5_REASONS: Record<number, string> = {
  0x00: 'success',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x8c: 'bad authentication method',
};

export function readMqttAnswer(received: Buffer, version: 4 | 5 = 4): AnswerReading | undefined {
  if (received.length === 0) return undefined;
  if (received[0] !== 0x20 || received.length < 4)
    return {
      verdict: 'inconclusive',
      reason:
        'the server answered the CONNECT with something other than a CONNACK ' +
        `(0x${received.subarray(0, 8).toString('hex')})`,
    };
  const code = received[3]!;
  const words = (version === 5 ? V5_REASONS : V4_CODES)[code] ?? 'unknown';
  const said = `CONNACK ${version === 5 ? `reason 0x${code.toString(16)}` : `return code ${code}`} (${words})`;
  if (code === 0) return { verdict: 'accepted', reason: `the broker let the client in: ${said}` };
  if (version === 4 ? code === 4 : code === 0x86 || code === 0x8c)
    return {
      verdict: 'accepted',
      reason: `the broker went on to the client's user name and password: ${said}: past the certificate check`,
    };
  if (version === 4 ? code === 5 : code === 0x87)
    return { verdict: 'rejected', reason: `the broker refused the client in its protocol: ${said}` };
  return { verdict: 'inconclusive', reason: `the broker refused the CONNECT for another reason: ${said}` };
}

export function mqttWith(options: MqttOptions): AppProtocol {
  const version = options.version ?? 4;
  return {
    name: 'mqtt',
    request: (sentinel, _server, size) => connectPacket(sentinel, version, size),
    readAnswer: (received) => readMqttAnswer(received, version),
    outputShowsSentinel: false,
    // CONNACK 0 in the client's version; a size adds a PUBLISH carrying the sentinel (a subscriber prints it).
    answer: (sentinel, size = 0, request) => {
      const v = request ? connectVersion(request) : version;
      const ack = connack(0, v);
      return size > 0 ? Buffer.concat([ack, publishPacket('mtls/probe', sentinel + '.'.repeat(size), v)]) : ack;
    },
  };
}

export const mqtt = mqttWith({});
