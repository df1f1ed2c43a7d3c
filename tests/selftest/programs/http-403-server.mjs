#!/usr/bin/env node
// An HTTPS server that verifies client certificates and then refuses every request with 403: a
// correct TLS setup in front of an application that does not authorize the caller.
import { readFileSync } from 'node:fs';
import https from 'node:https';

const [port, ca, cert, key] = process.argv.slice(2);
https
  .createServer(
    {
      ca: readFileSync(ca),
      cert: readFileSync(cert),
      key: readFileSync(key),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('forbidden\n');
    },
  )
  .listen(Number(port), '127.0.0.1', () => console.log(`listening on ${port}`));
