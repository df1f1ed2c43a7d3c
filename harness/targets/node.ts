/**
 * The `node` shim: runs a role of a target inside this process with Node's `tls` module and
 * reports what its application saw. It knows nothing of properties or verdicts.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import type { NodeClientRole, NodeServerRole, RoleMaterial } from '../config/types.js';
import { withCachedContexts } from './contexts.js';
import {
  errorCode,
  identityOf,
  type ClientObservation,
  type ClientRun as ProbeClientRun,
  type ConnectionSeen,
  type ServerObservation,
  type Timeline,
} from './observe.js';
import { TargetError } from './target-error.js';
import { PreambleError, preambleOn } from '../protocols/preamble.js';
import type { AppProtocol, PreambleAnswer } from '../protocols/types.js';

export interface RunningServer {
  host: string;
  port: number;
  observation: ServerObservation;
  /** Called whenever the application is handed bytes (the probe's early decision). */
  onDelivered?: () => void;
  /** Resolves when every accepted connection has closed (never before the first one). */
  allClosed: Promise<void>;
  close(): Promise<void>;
}

/** Without an onConnection, the application takes what TLS lets through and echoes it. */
export function echoApplication(socket: tls.TLSSocket): void {
  socket.once('data', (chunk: Buffer) => socket.end(Buffer.concat([Buffer.from('ACK '), chunk.subarray(0, 1024)])));
}

function callOptions<T>(label: string, role: { options: (m: RoleMaterial) => T }, material: RoleMaterial): T {
  try {
    const options = role.options({
      ca: material.ca,
      cert: material.cert,
      key: material.key,
      chain: material.chain,
      crl: material.crl,
    });
    if (!options || typeof options !== 'object') throw new Error(`returned ${String(options)}, not an options object`);
    return options;
  } catch (err) {
    throw new TargetError(`${label}: options() failed: ${(err as Error).message}`);
  }
}

/**
 * `preamble`: the protocol the server plays before TLS (answer PostgreSQL's SSLRequest, send
 * MySQL's greeting), and whether it takes the client's request for TLS or declines it.
 */
export async function startNodeServer(
  label: string,
  role: NodeServerRole,
  material: RoleMaterial,
  log: Timeline,
  preamble?: { protocol: AppProtocol; answer: PreambleAnswer },
): Promise<RunningServer> {
  const options = callOptions(label, role, material);
  let server: tls.Server;
  try {
    server = withCachedContexts(() => tls.createServer(options));
  } catch (err) {
    throw new TargetError(`${label}: Node rejected the server options: ${(err as Error).message}`);
  }
  const obs: ServerObservation = {
    connections: 0,
    handshake: false,
    delivered: Buffer.alloc(0),
    written: Buffer.alloc(0),
    closed: false,
    perConnection: [],
  };
  // Each connection's own account, found again by the client's port (the TLS socket wraps the TCP one).
  const byPort = new Map<number | undefined, ConnectionSeen>();
  const running = {} as RunningServer;
  const raw = new Set<Socket>();
  let open = 0;
  let markClosed!: () => void;
  const allClosed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  // With a preamble, a TCP listener in front plays it, then hands the socket to TLS (or, having
  // declined TLS, keeps what the client sends in clear); without one, TLS listens itself.
  const serverPreamble = preamble?.protocol.serverPreamble?.bind(preamble.protocol);
  const front = serverPreamble ? net.createServer() : server;
  front.on('connection', (socket: Socket) => {
    obs.connections++;
    const seen: ConnectionSeen = { handshake: false, delivered: 0 };
    obs.perConnection!.push(seen);
    byPort.set(socket.remotePort, seen);
    open++;
    raw.add(socket);
    socket.on('close', () => {
      raw.delete(socket);
      if (--open === 0) {
        obs.closed = true;
        log('server: connection closed');
        markClosed();
      }
    });
    if (!serverPreamble) return;
    const session = preambleOn(socket, log);
    serverPreamble(session.io, preamble!.answer).then(
      ({ requested }) => {
        if (preamble!.answer === 'decline' && !requested) {
          log('server: the client started TLS without asking in the protocol: nothing to decline');
          obs.declineNotAsked = true;
          session.release();
          socket.destroy();
          return;
        }
        if (preamble!.answer === 'decline') {
          log('server: declined TLS in the protocol; watching for clear bytes');
          obs.clearAfterDecline = Buffer.alloc(0);
          const seenClear = () => {
            obs.clearAfterDecline = session.buffered;
            if (session.buffered.length) {
              log(`server: the client sent ${session.buffered.length} bytes in clear after the decline`);
              socket.destroy();
            }
          };
          seenClear();
          socket.on('data', () => setImmediate(seenClear));
          return;
        }
        session.release();
        server.emit('connection', socket);
      },
      (err: unknown) => {
        obs.error ??= errorCode(err);
        log(`server: before TLS: ${errorCode(err)}`);
        session.release();
        socket.destroy();
      },
    );
  });
  server.on('tlsClientError', (err, socket) => {
    obs.error ??= errorCode(err);
    const seen = byPort.get(socket.remotePort);
    if (seen) seen.error ??= errorCode(err);
    obs.authorizationError ??= (socket as tls.TLSSocket & { authorizationError?: string }).authorizationError;
    log(
      `server: tlsClientError ` +
        `${errorCode(err)}${obs.authorizationError ? ` (authorizationError ${obs.authorizationError})` : ''}`,
    );
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    obs.handshake = true;
    const seen = byPort.get(socket.remotePort);
    if (seen) Object.assign(seen, { handshake: true, authorized: socket.authorized });
    obs.authorized = socket.authorized;
    obs.authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
    obs.peer = identityOf(socket.getPeerCertificate());
    obs.protocol = socket.getProtocol() ?? undefined;
    obs.cipher = socket.getCipher()?.standardName;
    obs.resumed = socket.isSessionReused();
    log(
      `server: secureConnection ${obs.protocol} ` +
        `authorized=${socket.authorized}${obs.authorizationError ? ` (${obs.authorizationError})` : ''}`,
    );
    // Watch what crosses between TLS and the application without taking part in it: push() is
    // how decrypted bytes reach the readable side; write() is how the application answers.
    const push = socket.push.bind(socket);
    socket.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (Buffer.isBuffer(chunk) && chunk.length) {
        obs.delivered = Buffer.concat([obs.delivered, chunk]);
        if (seen) seen.delivered += chunk.length;
        log(`server: application received ${chunk.length} bytes`);
        running.onDelivered?.();
      }
      return push(chunk, encoding);
    };
    const wrote = (chunk: unknown) => {
      if (typeof chunk === 'string' || (Buffer.isBuffer(chunk) && chunk.length))
        obs.written = Buffer.concat([obs.written, Buffer.from(chunk)]);
    };
    const write = socket.write.bind(socket) as (...a: unknown[]) => boolean;
    socket.write = (chunk: unknown, ...rest: unknown[]) => {
      wrote(chunk);
      return write(chunk, ...rest);
    };
    const end = socket.end.bind(socket) as (...a: unknown[]) => tls.TLSSocket;
    socket.end = (chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') wrote(chunk);
      return end(chunk, ...rest);
    };
    // A TLS error (bad record MAC, alert) leaves Node's socket open; an application would drop it.
    socket.on('error', (err) => {
      obs.error ??= errorCode(err);
      if (seen) seen.error ??= errorCode(err);
      log(`server: socket error ${errorCode(err)}`);
      socket.destroy();
    });
    (role.onConnection ?? echoApplication)(socket);
  });

  await new Promise<void>((resolve, reject) => {
    front.once('error', (err: Error) => reject(new TargetError(`${label}: cannot listen: ${err.message}`)));
    front.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = front.address() as AddressInfo;
  return Object.assign(running, {
    host: '127.0.0.1',
    port,
    observation: obs,
    allClosed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of raw) s.destroy();
        front.close(() => resolve());
        if (front !== server) server.close();
      }),
  });
}

/**
 * A client of the harness's own may do something on the connection before it writes (the
 * reference client renegotiating): resolves with what it did, for the evidence.
 */
export type ClientPrelude = (socket: tls.TLSSocket, obs: ClientObservation, log: Timeline) => Promise<void>;

/** What the node client needs of a probe's run (see sides.ts). */
type ClientRun = Pick<
  ProbeClientRun,
  'host' | 'port' | 'name' | 'payload' | 'signal' | 'protocol' | 'payloadBytes' | 'sentinel'
>;

/** A TCP connection that has been through the protocol's preamble, ready for TLS. */
async function preambled(run: ClientRun, log: Timeline): Promise<net.Socket> {
  const raw = net.connect({ host: run.host, port: run.port });
  const session = preambleOn(raw, log, run.signal);
  try {
    await new Promise<void>((resolve, reject) => {
      raw.once('connect', resolve);
      raw.once('error', reject);
    });
    await run.protocol!.clientPreamble!(session.io);
    session.release();
    return raw;
  } catch (err) {
    session.release();
    raw.destroy();
    throw err;
  }
}

/**
 * Connects, writes the payload once the handshake completes, and reads until the server
 * answers or the connection ends. Resolves with what the client application saw.
 */
export function runNodeClient(
  label: string,
  role: NodeClientRole & { prelude?: ClientPrelude },
  material: RoleMaterial,
  run: ClientRun,
  log: Timeline,
): Promise<ClientObservation> {
  const options = callOptions(label, role, material);
  const obs: ClientObservation = { handshake: false, sent: Buffer.alloc(0), received: Buffer.alloc(0), closed: false };
  if (run.protocol?.clientPreamble) {
    // The protocol's own start (an SSLRequest and its answer) on TCP, then TLS on that socket.
    return preambled(run, log).then(
      (socket) => connectTls(role, options, obs, { ...run, socket }, log),
      (err: unknown) => {
        if (err instanceof PreambleError && err.deadline) obs.stalledBeforeTls = true;
        else {
          obs.error = errorCode(err);
          obs.closed = true;
        }
        log(`client: before TLS: ${errorCode(err)}`);
        return obs;
      },
    );
  }
  return connectTls(role, options, obs, run, log);
}

function connectTls(
  role: NodeClientRole & { prelude?: ClientPrelude },
  options: tls.ConnectionOptions,
  obs: ClientObservation,
  run: ClientRun & { socket?: net.Socket },
  log: Timeline,
): Promise<ClientObservation> {
  return new Promise((resolve) => {
    let socket: tls.TLSSocket;
    const done = () => {
      run.signal.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(obs);
    };
    // The probe ends the client either at its deadline or once acceptance is proven elsewhere.
    const onAbort = () => {
      log(
        run.signal.reason === 'accepted'
          ? 'client: ended by the probe (acceptance already proven)'
          : 'client: deadline reached',
      );
      done();
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    try {
      // The client connects to the tap on loopback whatever name it verifies: an IP name rides on
      // a socket connected beforehand (so ::1 is verified without an IPv6 listener), a DNS name
      // goes out as SNI and is what checkServerIdentity sees.
      if (run.socket) {
        const raw = run.socket;
        socket = withCachedContexts(() =>
          tls.connect({
            ...options,
            socket: raw,
            host: run.name,
            ...(net.isIP(run.name) ? {} : { servername: run.name }),
          }),
        );
      } else if (net.isIP(run.name)) {
        const raw = net.connect({ host: run.host, port: run.port });
        try {
          socket = withCachedContexts(() => tls.connect({ ...options, socket: raw, host: run.name }));
        } catch (err) {
          raw.destroy();
          throw err;
        }
      } else {
        socket = withCachedContexts(() =>
          tls.connect({ ...options, host: run.host, port: run.port, servername: run.name }),
        );
      }
    } catch (err) {
      obs.error = errorCode(err);
      log(`client: Node rejected the client options: ${(err as Error).message}`);
      done();
      return;
    }
    // The key log gives the server's handshake traffic secret, so its encrypted TLS 1.3 flight
    // (the CertificateRequest among it) can be read from the capture.
    socket.on('keylog', (line: Buffer) => {
      const m = /^SERVER_HANDSHAKE_TRAFFIC_SECRET \S+ ([0-9a-f]+)/.exec(line.toString('latin1'));
      if (m) obs.serverHandshakeSecret = Buffer.from(m[1]!, 'hex');
    });
    // Only when the options asked for one (requestOCSP; the reference client always does); null
    // when the server stapled nothing.
    socket.on('OCSPResponse', (response: Buffer | null) => {
      if (response) {
        obs.ocspStapled = response.length;
        log(`client: the server stapled an OCSP response (${response.length} bytes)`);
      }
    });
    socket.on('secureConnect', () => {
      // Node emits it again when a renegotiation completes: the application starts once.
      if (obs.handshake) return;
      obs.handshake = true;
      obs.authorized = socket.authorized;
      obs.authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
      obs.peer = identityOf(socket.getPeerCertificate());
      obs.protocol = socket.getProtocol() ?? undefined;
      obs.resumed = socket.isSessionReused();
      const cipher = socket.getCipher();
      obs.cipher = cipher?.name;
      obs.standardCipher = cipher?.standardName;
      const eph = socket.getEphemeralKeyInfo() as { type?: string; name?: string } | null;
      obs.group = eph && 'type' in eph ? (eph.name ?? eph.type) : undefined;
      log(`client: secureConnect ${obs.protocol} ${obs.standardCipher}`);
      role.onSecureConnect?.(socket);
      if (socket.destroyed) {
        log('client: the client application refused the server');
        return;
      }
      const write = () => {
        if (socket.destroyed) return;
        const protocol = run.protocol;
        // A conversation reads on the socket itself: listen before the request leaves.
        const session = protocol?.converse && preambleOn(socket, log, run.signal);
        obs.sent = run.payload;
        socket.write(run.payload);
        if (!session || !protocol?.converse) return;
        const io = {
          ...session.io,
          write: (bytes: Buffer) => {
            obs.sent = Buffer.concat([obs.sent, bytes]);
            session.io.write(bytes);
          },
        };
        protocol
          .converse(io, run.sentinel ?? 'mtls-probe', run.payloadBytes)
          .then(
            () => log('client: the exchange is done'),
            (err: unknown) => log(`client: the exchange ended: ${errorCode(err)}`),
          )
          .finally(done);
      };
      if (!role.prelude) {
        write();
        return;
      }
      role.prelude(socket, obs, log).then(write, (err: unknown) => {
        obs.error ??= errorCode(err);
        log(`client: ${errorCode(err)}`);
        done();
      });
    });
    socket.on('data', (d: Buffer) => {
      obs.received = Buffer.concat([obs.received, d]);
      log(`client: application received ${d.length} bytes`);
      // The server application answered: that is the evidence of acceptance; no need to linger
      // (unless the protocol's exchange goes on: it ends the client itself).
      if (!run.protocol?.converse) done();
    });
    socket.on('error', (err) => {
      obs.error ??= errorCode(err);
      log(`client: error ${errorCode(err)}`);
      done();
    });
    socket.on('close', () => {
      obs.closed = true;
      log('client: closed');
      done();
    });
  });
}
