/**
 * The clear part of a connection before TLS, read exactly: a preamble reads what its protocol
 * frames, and whatever arrived past it (a ClientHello in the same segment) goes back to the
 * socket for TLS to read.
 */
import type net from 'node:net';
import type { PreambleIo } from './types.js';

export class PreambleError extends Error {
  override name = 'PreambleError';
  /** The probe's deadline ended it, not the peer: the peer showed nothing. */
  readonly deadline: boolean;
  constructor(message: string, deadline = false) {
    super(message);
    this.deadline = deadline;
  }
}

export interface PreambleSession {
  io: PreambleIo;
  /** Stops reading for the preamble and hands back what came after it (for TLS). */
  release(): void;
  /** Bytes read after the preamble ended, while TLS was declined: what the client sent in clear. */
  readonly buffered: Buffer;
}

export function preambleOn(socket: net.Socket, log: (event: string) => void, signal?: AbortSignal): PreambleSession {
  let buffered = Buffer.alloc(0);
  let ended: Error | undefined;
  let wake: (() => void) | undefined;
  const onData = (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    wake?.();
  };
  const onEnd = () => {
    ended ??= new PreambleError('the peer closed the connection before TLS');
    wake?.();
  };
  const onError = (err: Error) => {
    ended ??= new PreambleError(`the connection failed before TLS: ${err.message}`);
    wake?.();
  };
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('close', onEnd);
  socket.on('error', onError);
  const onAbort = () => {
    ended ??= new PreambleError('the deadline came before TLS', true);
    wake?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const read = async (bytes: number): Promise<Buffer> => {
    while (buffered.length < bytes) {
      if (ended) throw ended;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    const out = buffered.subarray(0, bytes);
    buffered = buffered.subarray(bytes);
    return out;
  };
  const io: PreambleIo = {
    read,
    async readFramed(head, length) {
      const first = await read(head);
      const rest = await read(length(first) - head);
      return Buffer.concat([first, rest]);
    },
    unread: (bytes) => {
      buffered = Buffer.concat([bytes, buffered]);
    },
    write: (bytes) => {
      socket.write(bytes);
    },
    log,
  };
  return {
    io,
    get buffered() {
      return buffered;
    },
    release() {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      socket.pause();
      if (buffered.length) socket.unshift(buffered);
      buffered = Buffer.alloc(0);
    },
  };
}
