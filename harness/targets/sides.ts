/**
 * The two sides of a probe, whatever plays them: a `node` role in this process, or a `command`
 * program. The probe only sees these interfaces; the shims know nothing of properties.
 */
import type {
  ClientRole,
  CommandServerRole,
  EndpointServerRole,
  NodeServerRole,
  RoleMaterial,
  ServerRole,
} from '../config/types.js';
import { clientSession, CommandServer, DEFAULT_HOST, runCommandClient } from './command.js';
import { runNodeClient, startNodeServer, type RunningServer } from './node.js';
import net from 'node:net';
import { readFlight } from '../hello.js';
import { protocolOf } from '../protocols/index.js';
import type { AppProtocol, PreambleAnswer } from '../protocols/types.js';
import { PreambleError, preambleOn } from '../protocols/preamble.js';
import { errorCode, type ClientObservation, type ClientRun, type ServerObservation, type Timeline } from './observe.js';

export interface ServerSide {
  label: string;
  profile?: string;
  /** What the harness speaks to it once TLS is up, and how its answer reads. */
  protocol: AppProtocol;
  /**
   * The harness's own server (against a client under test): its answer is its own, so the
   * protocol does not read it; what reached it decides.
   */
  reference?: true;
  /** Where clients connect. Starts the server if needed. */
  endpoint(log: Timeline): Promise<{ host: string; port: number; fixedPort?: boolean }>;
  /**
   * Calls `onAccepted` once the sentinel has reached the server application (bytes delivered to
   * Node's socket, or the program's output showing it), until `signal` fires. Absent for servers
   * whose acceptance is read elsewhere (HTTP status).
   */
  watch?(sentinel: string, signal: AbortSignal, onAccepted: () => void): void;
  /**
   * After the client has settled: the server's account of this attempt. `settled`: the client's
   * evidence already decides the attempt (the server's TLS stack sent an alert, or its application
   * answered), so there is no late output worth waiting for.
   */
  observe(args: {
    sentinel: string;
    deadline: AbortSignal;
    log: Timeline;
    settled?: boolean;
  }): Promise<ServerObservation>;
  /** Ends what this attempt started (a long-lived server stays for the next one). */
  release(): Promise<void>;
}

export interface ClientSide {
  label: string;
  profile?: string;
  /** Where the client dials: set for programs with a fixed port or host. */
  dialsPort?: number;
  host?: string;
  run(args: ClientRun): Promise<ClientObservation>;
}

type Material = RoleMaterial & { profile?: string };

/**
 * `reference`: the harness's own server, and with a protocol that starts in clear, whether it
 * takes the client's request for TLS or declines it (the downgrade check).
 */
export function nodeServerSide(
  label: string,
  role: NodeServerRole,
  material: Material,
  reference?: { preamble: PreambleAnswer },
): ServerSide {
  let server: RunningServer | undefined;
  const protocol = protocolOf(role.protocol);
  const preamble = reference?.preamble ?? 'tls';
  return {
    label,
    profile: material.profile,
    protocol,
    ...(reference ? { reference: true as const } : {}),
    async endpoint(log) {
      server = await startNodeServer(label, role, material, log, { protocol, answer: preamble });
      return { host: server.host, port: server.port };
    },
    watch(sentinel, signal, onAccepted) {
      const s = server!;
      s.onDelivered = () => {
        if (!signal.aborted && s.observation.delivered.includes(sentinel)) {
          s.onDelivered = undefined;
          onAccepted();
        }
      };
    },
    async observe({ deadline }) {
      // Until the server has seen the connection end too, so its side of the evidence is complete.
      if (server!.observation.connections > 0 && !deadline.aborted) {
        await Promise.race([
          server!.allClosed,
          new Promise((r) => deadline.addEventListener('abort', r, { once: true })),
        ]);
      }
      return server!.observation;
    },
    async release() {
      await server?.close();
    },
  };
}

/** How long to wait, after the connection ended, for a program's output to show the sentinel. */
const LATE_OUTPUT_MS = 300;

export function commandServerSide(server: CommandServer, role: CommandServerRole, profile?: string): ServerSide {
  let mark = 0;
  const protocol = protocolOf(role.protocol);
  return {
    label: server.label,
    profile,
    protocol,
    async endpoint() {
      const at = await server.ready();
      mark = server.output.length;
      return { ...at, fixedPort: role.port !== undefined };
    },
    // Where the answer decides (HTTP's status), the server answers: nothing to watch.
    watch: !protocol.outputShowsSentinel
      ? undefined
      : (sentinel, signal, onAccepted) => {
          const from = mark;
          void server.waitForOutput(from, sentinel, signal).then(() => {
            if (!signal.aborted && server.output.indexOf(sentinel, from) >= 0) onAccepted();
          });
        },
    async observe({ sentinel, deadline, log, settled }) {
      // Output is the program's account, and it may trail the socket's close by a moment (more so
      // through the spawner): worth waiting for unless the client's evidence has decided already,
      // and then still for a program that has shown a sentinel before (its account is the
      // stronger evidence; a program that never shows one costs no wait).
      if (!settled || server.showsSentinel)
        await server.waitForOutput(mark, sentinel, AbortSignal.any([deadline, AbortSignal.timeout(LATE_OUTPUT_MS)]));
      // A program that serves one connection (the document's server.py) must be seen to exit
      // before the next attempt, or that attempt would dial a program on its way out.
      // One that does not still may have died on this connection: the kernel says so at once.
      const exited = await server.waitForExit(
        server.oneShot === false
          ? AbortSignal.abort()
          : server.oneShot
            ? deadline
            : AbortSignal.any([deadline, AbortSignal.timeout(LATE_OUTPUT_MS)]),
      );
      server.oneShot ??= exited;
      const exit = server.exitStatus();
      // What the program said during this attempt; when it exited having said nothing, what it said before.
      const during = server.output.slice(mark);
      const output = exit !== undefined && !during.trim() ? server.output : during;
      // Where the answer decides, a server's log may quote a request it refused: not its account.
      const seen = protocol.outputShowsSentinel && during.includes(sentinel);
      if (seen) log('server: the sentinel appeared in the program output');
      server.showsSentinel ||= seen;
      if (exit !== undefined) log(`server: program exited (${exit})`);
      const obs: ServerObservation = {
        connections: 1,
        handshake: seen,
        delivered: seen ? Buffer.from(sentinel) : Buffer.alloc(0),
        written: Buffer.alloc(0),
        closed: true,
        output,
        exit,
      };
      // The exit is evidence, not a rejection: the probe decides from what the peer saw on the wire.
      return obs;
    },
    async release() {
      /* the program serves the next attempt; the spec file stops it */
    },
  };
}

/**
 * A server already listening: the harness only dials it. What its application saw is known only
 * from its answer (an echo, an HTTP status), so it has no account of its own to give.
 */
export function endpointServerSide(label: string, role: EndpointServerRole): ServerSide {
  return {
    label,
    protocol: protocolOf(role.protocol),
    endpoint: () => Promise.resolve({ host: role.host, port: role.port, fixedPort: true }),
    observe: () =>
      Promise.resolve({
        connections: 1,
        handshake: false,
        delivered: Buffer.alloc(0),
        written: Buffer.alloc(0),
        closed: true,
        remote: true,
      }),
    async release() {
      /* not ours to stop */
    },
  };
}

/** `name`: the name the server is reached by, the `{name}` of its command. */
export function serverSide(
  label: string,
  role: ServerRole,
  material: Material,
  commandServers: Map<string, CommandServer>,
  name?: string,
): ServerSide {
  if (role.kind === 'node') return nodeServerSide(label, role, material);
  if (role.kind === 'endpoint') return endpointServerSide(label, role);
  let server = commandServers.get(label);
  if (!server) {
    server = new CommandServer(label, role, material, name);
    commandServers.set(label, server);
  }
  return commandServerSide(server, role, material.profile);
}

export function clientSide(label: string, role: ClientRole, material: Material): ClientSide {
  if (role.kind === 'node') {
    return { label, profile: material.profile, run: (r) => runNodeClient(label, role, material, r, r.log) };
  }
  return {
    label,
    profile: material.profile,
    dialsPort: role.port,
    host: role.host ?? DEFAULT_HOST,
    async run(r) {
      const result = role.session
        ? await clientSession(label, role, material).run(r.port, r.name, r.signal, r.log)
        : await runCommandClient(label, role, material, r.port, r.name, r.signal, r.log);
      const got = !!r.answerSentinel && result.output.includes(r.answerSentinel);
      return {
        // What a program did inside TLS is only known from its output and exit status.
        handshake: false,
        sent: Buffer.alloc(0),
        received: got ? Buffer.from(r.answerSentinel!) : Buffer.alloc(0),
        closed: true,
        output: result.output,
        exit: result.exit,
        error: result.timedOut ? undefined : result.exit !== 0 ? `program exited (${result.exit})` : undefined,
      };
    },
  };
}

/**
 * A client that sends one hand-written ClientHello and reads the server's answer up to the end of
 * its first flight (ServerHelloDone), an alert, or a close; it never completes a handshake.
 */
export function helloClientSide(label: string, hello: Buffer): ClientSide {
  return {
    label,
    run: (r) =>
      new Promise((resolve) => {
        const obs: ClientObservation = {
          handshake: false,
          sent: Buffer.alloc(0),
          received: Buffer.alloc(0),
          closed: false,
        };
        let seen = Buffer.alloc(0);
        const socket = net.connect({ host: r.host, port: r.port });
        let opening = false;
        const done = () => {
          r.signal.removeEventListener('abort', onDeadline);
          socket.destroy();
          resolve(obs);
        };
        // The deadline in the clear opening (no greeting yet) is a stall, not the server's refusal.
        const onDeadline = () => {
          if (opening) obs.stalledBeforeTls = true;
          done();
        };
        r.signal.addEventListener('abort', onDeadline, { once: true });
        let sent = false;
        socket.on('connect', () => {
          const send = () => {
            sent = true;
            r.log('client: ClientHello sent');
            socket.write(hello);
          };
          if (!r.protocol?.clientPreamble) return send();
          // The protocol's clear start first (an SSLRequest and its answer), as any client of it does.
          const session = preambleOn(socket, r.log, r.signal);
          opening = true;
          r.protocol.clientPreamble(session.io).then(
            () => {
              opening = false;
              session.release();
              socket.resume();
              send();
            },
            (err: unknown) => {
              opening = false;
              session.release();
              if (err instanceof PreambleError && err.deadline) obs.stalledBeforeTls = true;
              else obs.error = errorCode(err);
              r.log(`client: before TLS: ${errorCode(err)}`);
              done();
            },
          );
        });
        socket.on('data', (d: Buffer) => {
          if (!sent) return; // the preamble's, read by it
          seen = Buffer.concat([seen, d]);
          const flight = readFlight(seen);
          if (flight.alert || flight.messages.some((m) => m.type === 14 /* ServerHelloDone */)) {
            r.log(`client: server answered (${flight.alert ?? 'ServerHelloDone'})`);
            done();
          }
        });
        socket.on('error', (err) => {
          obs.error = errorCode(err);
          done();
        });
        socket.on('close', () => {
          obs.closed = true;
          r.log('client: closed');
          done();
        });
      }),
  };
}
