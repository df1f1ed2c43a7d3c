/**
 * `smtp`: SMTP with STARTTLS (RFC 5321, RFC 3207). Before TLS: the server's 220 greeting, EHLO,
 * its 250 reply offering STARTTLS, STARTTLS and its 220. After TLS the client starts over (RFC
 * 3207 §4.2): EHLO, MAIL FROM (the sentinel as the sender's local part), RCPT TO (`postmaster`,
 * which every SMTP server must take, RFC 5321 §4.5.1). 250 to both MAIL and RCPT: accepted. A 4xx
 * or 5xx reply to any of them: refused, quoted (MTAs refuse a client without a verified
 * certificate at MAIL or RCPT, "550 5.7.1 A verified client certificate is required", or with a
 * 421 and a close). A probe that must be long sends the rest as a message (DATA), discarded by
 * a server configured to take it.
 */
import { PreambleError } from './preamble.js';
import type { AnswerReading, AppProtocol, OptionChecks, PreambleIo } from './types.js';

export interface SmtpOptions {
  /** The recipient of RCPT TO (default `postmaster`). */
  to?: string;
  /** The name the harness gives in EHLO (default `mtls-conformance.test`). */
  helo?: string;
}

const isAddress = (v: unknown) =>
  typeof v === 'string' && v.length > 0 && !/[\s<>]/.test(v) ? undefined : 'a mailbox without spaces or <>';
export const SMTP_OPTIONS: OptionChecks = { to: isAddress, helo: isAddress };

const TLS_HANDSHAKE = 0x16;
const CRLF = '\r\n';
const HOST = 'mtls-conformance.test';

export interface SmtpReply {
  code: number;
  /** Its lines, without the code, joined by a space. */
  text: string;
}

/** The complete replies at the start of `bytes` (multi-line ones whole), in order. */
export function readReplies(bytes: Buffer): SmtpReply[] {
  const replies: SmtpReply[] = [];
  let lines: string[] = [];
  const text = bytes.toString('latin1');
  let at = 0;
  for (;;) {
    const end = text.indexOf('\n', at);
    if (end < 0) return replies;
    const line = text.slice(at, end).replace(/\r$/, '');
    at = end + 1;
    const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (!m) return replies;
    lines.push(m[3]!);
    if (m[2] !== '-') {
      replies.push({ code: Number(m[1]), text: lines.join(' ').trim() });
      lines = [];
    }
  }
}

/** Where the first complete reply in `bytes` ends (after its last line), if it is all there. */
function replyEnd(bytes: Buffer): number | undefined {
  let at = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) return undefined;
    const line = bytes.subarray(at, end).toString('latin1');
    at = end + 1;
    if (!/^\d{3}-/.test(line)) return at;
  }
}

const quoted = (r: SmtpReply) => JSON.stringify(`${r.code} ${r.text}`);

/** One reply, read a byte at a time: no byte past its last line (before TLS, what follows is TLS's). */
async function readReply(io: PreambleIo): Promise<SmtpReply> {
  let got = Buffer.alloc(0);
  for (;;) {
    got = Buffer.concat([got, await io.read(1)]);
    if (got.length > 16_384) throw new PreambleError('the server sent a reply longer than 16 KiB');
    if (replyEnd(got) === undefined) continue;
    const [reply] = readReplies(got);
    if (!reply)
      throw new PreambleError(`the server sent no SMTP reply: ${JSON.stringify(got.subarray(0, 60).toString())}`);
    return reply;
  }
}

/** One line a client sent before TLS. */
async function readLine(io: PreambleIo): Promise<Buffer> {
  let got = Buffer.alloc(0);
  while (got[got.length - 1] !== 0x0a) {
    got = Buffer.concat([got, await io.read(1)]);
    if (got.length === 1 && got[0] === TLS_HANDSHAKE) return got;
    if (got.length > 4096) throw new PreambleError('the client sent a line longer than 4 KiB');
  }
  return got;
}

export function readSmtpAnswer(received: Buffer): AnswerReading | undefined {
  if (received.length === 0) return undefined;
  const [ehlo, mail, rcpt] = readReplies(received);
  if (!ehlo) return { verdict: 'inconclusive', reason: 'the server sent no complete SMTP reply after TLS' };
  const steps: Array<[string, SmtpReply | undefined]> = [
    ['EHLO', ehlo],
    ['MAIL FROM', mail],
    ['RCPT TO', rcpt],
  ];
  for (const [command, reply] of steps) {
    if (!reply) {
      return {
        verdict: 'inconclusive',
        reason: `the server answered up to the command before ${command}, then nothing (last: ${quoted(
          steps
            .map(([, r]) => r)
            .filter((r): r is SmtpReply => !!r)
            .at(-1)!,
        )})`,
      };
    }
    if (reply.code >= 400)
      return { verdict: 'rejected', reason: `the server refused ${command} in its protocol: ${quoted(reply)}` };
    if (reply.code >= 300)
      return { verdict: 'inconclusive', reason: `the server answered ${command} with ${quoted(reply)}` };
  }
  // A long probe goes on with a message (DATA): then the server must take that too, for the
  // altered record of an integrity probe rides in it.
  const [data, message] = readReplies(received).slice(3);
  if (data?.code === 354) {
    if (!message)
      return {
        verdict: 'rejected',
        reason: `the server answered DATA with ${quoted(data)}, then took no message: no reply to it came`,
      };
    if (message.code >= 400)
      return { verdict: 'rejected', reason: `the server refused the message in its protocol: ${quoted(message)}` };
  }
  return {
    verdict: 'accepted',
    reason:
      `the server took the mail: ${quoted(mail!)} to MAIL FROM, ${quoted(rcpt!)} to RCPT TO` +
      (message ? `, ${quoted(message)} to the message` : ''),
  };
}

export function smtpWith(options: SmtpOptions): AppProtocol {
  const helo = options.helo ?? HOST;
  const to = options.to ?? 'postmaster';
  const line = (text: string) => Buffer.from(`${text}${CRLF}`, 'latin1');
  return {
    name: 'smtp',
    request: () => line(`EHLO ${helo}`),
    readAnswer: readSmtpAnswer,
    outputShowsSentinel: false,
    status: (received) => {
      const replies = readReplies(received);
      return (replies.find((r) => r.code >= 400) ?? replies.at(-1))?.code;
    },
    async clientPreamble(io) {
      const greeting = await readReply(io);
      if (greeting.code !== 220) throw new PreambleError(`the server greeted with ${quoted(greeting)}, not 220`);
      io.write(line(`EHLO ${helo}`));
      const ehlo = await readReply(io);
      if (ehlo.code !== 250) throw new PreambleError(`the server answered EHLO with ${quoted(ehlo)}`);
      // The extensions are the reply's lines after the first (RFC 5321 §4.1.1.1).
      if (!/(^|\s)STARTTLS(\s|$)/i.test(ehlo.text.split(' ').slice(1).join(' ')))
        throw new PreambleError(`the server does not offer STARTTLS (its EHLO reply: ${quoted(ehlo)})`);
      io.write(line('STARTTLS'));
      const ready = await readReply(io);
      if (ready.code !== 220) throw new PreambleError(`the server refused STARTTLS: ${quoted(ready)}`);
      io.log('client: the server is ready for TLS (220 to STARTTLS)');
    },
    async converse(io, sentinel, size = 0) {
      const reply = () => readReply(io);
      const say = (text: string) => {
        io.write(line(text));
        sent += text.length + 2;
        return reply();
      };
      let sent = line(`EHLO ${helo}`).length;
      if ((await reply()).code !== 250) return;
      if ((await say(`MAIL FROM:<${sentinel}@${HOST}>`)).code >= 300) return;
      if ((await say(`RCPT TO:<${to}>`)).code >= 300) return;
      if (size > sent) {
        if ((await say('DATA')).code !== 354) return;
        const padding = `${'.'.repeat(76)}${CRLF}`.repeat(Math.ceil((size - sent) / 78));
        // One write, so the long part rides in one TLS record (the record-size probes); each
        // line starts with a dot, doubled (RFC 5321 §4.5.2).
        io.write(Buffer.from(`Subject: mtls-conformance${CRLF}${CRLF}${padding.replace(/^\./gm, '..')}.${CRLF}`));
        await reply();
      }
      io.write(line('QUIT'));
    },
    goodbye: (clear) => (/^QUIT\r?\n$/i.test(clear.toString('latin1')) ? 'QUIT' : undefined),
    async serverPreamble(io, answer) {
      io.write(line(`220 ${HOST} ESMTP mtls-conformance reference server`));
      for (;;) {
        const got = await readLine(io);
        // A client that started TLS at once (SMTPS on port 465) asked nothing.
        if (got[0] === TLS_HANDSHAKE) {
          io.unread(got);
          return { requested: false };
        }
        const command = got.toString('latin1').trim().toUpperCase();
        if (command.startsWith('EHLO')) {
          io.write(answer === 'tls' ? line(`250-${HOST} Hello`) : line(`250 ${HOST} Hello`));
          if (answer === 'tls') io.write(line('250 STARTTLS'));
          else {
            io.log('server: EHLO answered without STARTTLS (declining TLS)');
            return { requested: true };
          }
        } else if (command.startsWith('HELO')) {
          io.write(line(`250 ${HOST}`));
        } else if (command === 'STARTTLS' && answer === 'tls') {
          io.write(line('220 2.0.0 Ready to start TLS'));
          io.log('server: answered STARTTLS with 220');
          return { requested: true };
        } else if (command === 'QUIT') {
          io.write(line('221 2.0.0 Bye'));
          throw new PreambleError('the client quit before TLS');
        } else {
          io.write(line('530 5.7.0 Must issue a STARTTLS command first'));
        }
      }
    },
    // A refusal of the client's EHLO after TLS, carrying the sentinel.
    answer: (sentinel, size = 0) =>
      line(
        `554 5.7.1 mtls-conformance reference server: ${sentinel}${'.'.repeat(Math.max(0, Math.min(400, size - 60)))}`,
      ),
    // Lines in clear each way, then TLS: its first byte (22) starts a line, which no SMTP line does.
    preambleLength(_direction, seen) {
      if (seen.length === 0) return undefined;
      if (seen[0] === TLS_HANDSHAKE) return 0;
      const at = seen.indexOf(Buffer.from([0x0a, TLS_HANDSHAKE]));
      return at < 0 ? undefined : at + 1;
    },
  };
}

export const smtp = smtpWith({});
