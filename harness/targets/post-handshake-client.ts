/**
 * The reference client that can answer a certificate asked for after the handshake: a TLS 1.3
 * post-handshake CertificateRequest (RFC 8446 §4.6.2), or a TLS 1.2 renegotiation. Node's TLS
 * client cannot do the former (it never sends the post_handshake_auth extension), so this one is
 * Python's ssl (OpenSSL underneath, `post_handshake_auth = True`), run as a program per probe.
 * It dials the probe's tap, presents the material's certificate (or none), sends the probe's
 * payload, and reports what happened as JSON lines; this module turns them into the same
 * observation Node's client gives, so the probe decides as for any other client.
 */
import { execFileSync } from 'node:child_process';
import type { RoleMaterial } from '../config/types.js';
import type { PinnedVersion } from '../tls.js';
import { runCommandClient } from './command.js';
import { PERMISSIVE_CIPHERS } from './reference.js';
import type { ClientSide } from './sides.js';
import type { ClientObservation } from './observe.js';

/** Runs under `python3 -S -c`: the standard library only, any Python 3.8 or later. */
const PROGRAM = String.raw`
import binascii, json, os, socket, ssl, sys, time
host, port, version, name, cert, key, timeout_ms, payload, ciphers = sys.argv[1:10]
def say(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
# The server is not under judgement here: its certificate is the server checks' business.
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
pinned = ssl.TLSVersion.TLSv1_3 if version == "TLSv1.3" else ssl.TLSVersion.TLSv1_2
ctx.minimum_version = ctx.maximum_version = pinned
ctx.post_handshake_auth = True
# Every suite, at security level 0, as the harness's other peers: a refusal is the server's alone.
ctx.set_ciphers(ciphers)
if os.path.exists(cert) and os.path.getsize(cert) > 0:
    ctx.load_cert_chain(cert, key)
deadline = time.monotonic() + int(timeout_ms) / 1000
def remaining():
    return max(0.05, deadline - time.monotonic())
try:
    raw = socket.create_connection((host, int(port)), timeout=remaining())
    sni = None if name.replace(".", "").isdigit() or ":" in name else name
    s = ctx.wrap_socket(raw, server_hostname=sni)
    say(event="handshake", version=s.version(), cipher=s.cipher()[0])
    s.sendall(binascii.unhexlify(payload))
    say(event="sent", bytes=len(payload) // 2)
    while True:
        s.settimeout(remaining())
        data = s.recv(65536)
        if not data:
            say(event="closed")
            break
        say(event="data", hex=data.hex())
        # The server application answered: the evidence; no need to linger (as Node's reference client).
        break
except ssl.SSLEOFError:
    say(event="closed")
except ssl.SSLError as e:
    say(event="error", code="ERR_SSL_" + (e.reason or "UNKNOWN"), text=str(e))
except socket.timeout:
    say(event="timeout")
except OSError as e:
    import errno
    say(event="error", code=errno.errorcode.get(e.errno, "OSError"), text=str(e))
`;

// Kept on the thread's global: vitest evaluates this module again for every project.
const FOUND = Symbol.for('mtls-conformance.python-interpreter');
const found = globalThis as unknown as Record<typeof FOUND, Map<string, string | null> | undefined>;
/**
 * The Python interpreter itself (not a version manager's shim, ~0.2 s a start), asked once per
 * thread; `MTLS_PYTHON` names another. Null when there is none.
 */
export function pythonInterpreter(): string | null {
  const candidate = process.env.MTLS_PYTHON ?? 'python3';
  const known = (found[FOUND] ??= new Map<string, string | null>());
  if (known.has(candidate)) return known.get(candidate)!;
  let interpreter: string | null;
  try {
    interpreter =
      execFileSync(candidate, ['-c', 'import ssl, sys; assert sys.version_info >= (3, 8); print(sys.executable)'], {
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || null;
  } catch {
    interpreter = null;
  }
  known.set(candidate, interpreter);
  return interpreter;
}

interface Event {
  event: 'handshake' | 'sent' | 'data' | 'closed' | 'error' | 'timeout';
  version?: string;
  cipher?: string;
  bytes?: number;
  hex?: string;
  code?: string;
  text?: string;
}

/** The program's JSON lines as an observation, and a transcript a person can read. */
export function observationOf(output: string, exit: number | string | undefined): ClientObservation {
  const obs: ClientObservation = { handshake: false, sent: Buffer.alloc(0), received: Buffer.alloc(0), closed: false };
  const lines: string[] = [];
  const chunks: Buffer[] = [];
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    let e: Event;
    try {
      e = JSON.parse(line) as Event;
    } catch {
      lines.push(line); // Python's own words (a traceback): kept as they are
      continue;
    }
    if (e.event === 'handshake') {
      obs.handshake = true;
      obs.protocol = e.version;
      obs.standardCipher = e.cipher;
      lines.push(`handshake completed (${e.version}, ${e.cipher})`);
    } else if (e.event === 'sent') {
      obs.sent = Buffer.alloc(e.bytes ?? 0);
      lines.push(`sent ${e.bytes} bytes`);
    } else if (e.event === 'data') {
      const data = Buffer.from(e.hex ?? '', 'hex');
      chunks.push(data);
      lines.push(`received ${data.length} bytes: ${JSON.stringify(data.subarray(0, 80).toString('latin1'))}`);
    } else if (e.event === 'closed') {
      obs.closed = true;
      lines.push('the server closed the connection');
    } else if (e.event === 'error') {
      obs.error = e.code;
      obs.closed = true;
      lines.push(`error ${e.code}: ${e.text}`);
    } else lines.push('no more from the server before the deadline');
  }
  obs.received = Buffer.concat(chunks);
  obs.output = lines.join('\n');
  if (exit !== undefined) obs.exit = exit;
  return obs;
}

/**
 * The post-handshake-capable reference client, presenting `material`'s certificate (none when it
 * is empty). `version` pins it; null when no Python can run it.
 */
export function postHandshakeClientSide(
  label: string,
  version: PinnedVersion,
  material: RoleMaterial & { profile?: string },
  timeoutMs: number,
): ClientSide | null {
  const python = pythonInterpreter();
  if (!python) return null;
  return {
    label,
    profile: material.profile,
    async run(r) {
      const role = {
        kind: 'command' as const,
        command: [
          python,
          '-S',
          '-c',
          PROGRAM,
          '{host}',
          '{port}',
          version,
          '{name}',
          '{cert}',
          '{key}',
          String(timeoutMs),
          r.payload.toString('hex'),
          PERMISSIVE_CIPHERS,
        ],
        host: r.host,
      };
      const result = await runCommandClient(label, role, material, r.port, r.name, r.signal, r.log);
      return observationOf(result.output, result.timedOut ? undefined : result.exit);
    },
  };
}
