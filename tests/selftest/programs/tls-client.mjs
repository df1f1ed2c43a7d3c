#!/usr/bin/env node
// An mTLS client program as teams write them: it dials --host and verifies that very name unless
// given --name; it sends a line and prints what it receives. --retry once: after a failed
// attempt it tries once more, verifying as before; --retry lenient: its retry accepts any server
// (the misconfiguration of a client whose fallback path skips verification).
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
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
  },
});
const name = a.name ?? a.host;
// Node reads one CRL per string: the file holds the CRLs of every CA of the run.
const crl = a.crl
  ? (readFileSync(a.crl, 'utf8').match(/-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----\n?/g) ?? [])
  : undefined;
const verifying = {
  ca: readFileSync(a.ca),
  cert: readFileSync(a.cert),
  key: readFileSync(a.key),
  ...(crl?.length ? { crl } : {}),
  ...(net.isIP(name) ? {} : { servername: name }),
  checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert),
};

function attempt(options) {
  return new Promise((resolve) => {
    let got = false;
    const socket = tls.connect({ host: a.host, port: Number(a.port), ...options });
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

let ok = await attempt(verifying);
if (!ok && a.retry) {
  console.error('retrying once');
  await new Promise((r) => setTimeout(r, 50));
  ok = await attempt(
    a.retry === 'lenient'
      ? { ...verifying, rejectUnauthorized: false, checkServerIdentity: () => undefined }
      : verifying,
  );
}
process.exit(ok ? 0 : 1);
