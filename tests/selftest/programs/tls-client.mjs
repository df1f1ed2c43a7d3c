#!/usr/bin/env node
// An mTLS client program as teams write them: it dials --host and verifies that very name unless
// given --name; it sends a line and prints what it receives. --retry once: after a failed
// attempt it tries once more, verifying as before; --retry lenient: its retry accepts any server
// (the misconfiguration of a client whose fallback path skips verification).
// --session: the harness's `session` client, one process for many connections: each stdin line
// "<host> <port> <name>" is one dial, ended by "mtls-conformance exit <status>"; --session trusting:
// once one server was verified, the process verifies no other (a pool that checks only its first).
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    name: { type: 'string' },
    crl: { type: 'string' },
    retry: { type: 'string' },
    session: { type: 'string' },
  },
});
// Node reads one CRL per string: the file holds the CRLs of every CA of the run.
const crl = a.crl
  ? (readFileSync(a.crl, 'utf8').match(/-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----\n?/g) ?? [])
  : undefined;
const verifying = (name) => ({
  ca: readFileSync(a.ca),
  cert: readFileSync(a.cert),
  key: readFileSync(a.key),
  ...(crl?.length ? { crl } : {}),
  ...(net.isIP(name) ? {} : { servername: name }),
  checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert),
});
const lenient = (name) => ({ ...verifying(name), rejectUnauthorized: false, checkServerIdentity: () => undefined });

function attempt(host, port, options) {
  return new Promise((resolve) => {
    let got = false;
    const socket = tls.connect({ host, port: Number(port), ...options });
    socket.on('secureConnect', () => socket.write('hello from the client\n'));
    socket.on('data', (d) => {
      got = true;
      process.stdout.write(`received: ${d}`);
    });
    socket.on('error', (err) => {
      console.error(`client error: ${err.code ?? err.message}`);
      resolve(false);
    });
    socket.on('close', () => resolve(got));
  });
}

if (a.session !== undefined) {
  // One stream, so that a connection's error comes before the line that ends it.
  console.error = console.log;
  let verified = false;
  let n = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    const [host, port, name] = line.trim().split(' ');
    console.log(`session ${process.pid} connection ${++n}`);
    const ok = await attempt(host, port, a.session === 'trusting' && verified ? lenient(name) : verifying(name));
    verified ||= ok;
    process.stdout.write(`mtls-conformance exit ${ok ? 0 : 1}\n`);
  }
  process.exit(0);
}
const name = a.name ?? a.host;
let ok = await attempt(a.host, a.port, verifying(name));
if (!ok && a.retry) {
  console.error('retrying once');
  await new Promise((r) => setTimeout(r, 50));
  ok = await attempt(a.host, a.port, a.retry === 'lenient' ? lenient(name) : verifying(name));
}
process.exit(ok ? 0 : 1);
