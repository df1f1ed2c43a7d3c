// A gRPC client on @grpc/grpc-js, as a team would write it: credentials.createSsl with the CA, its
// key and chain; it dials <host>:<port> and verifies <name> (grpc.ssl_target_name_override), calls
// the health check once (5 s deadline) and prints the answer, its metadata and its status.
// Usage: node client.mjs <host> <port> <name>   (in the material folder)
//        node client.mjs --session   the harness's `session` client: one process, each stdin line
//            "<host> <port> <name>" one call on a new channel of its own (no connection shared between
//            lines), its output ended by "mtls-conformance exit <status>"
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';

/** One call; resolves true when it got an answer (the one-shot client's exit 0). */
function check(host, port, name) {
  return new Promise((resolve) => {
    const credentials = grpc.credentials.createSsl(
      readFileSync('ca_cert.pem'),
      readFileSync('client_key.pem'),
      readFileSync('client_cert.pem'),
    );
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const client = new grpc.Client(address, credentials, {
      'grpc.ssl_target_name_override': name,
      'grpc.default_authority': name,
      // A channel of its own: grpc-js otherwise shares one connection among equal channels.
      'grpc.use_local_subchannel_pool': 1,
    });
    const bytes = (b) => b;
    let ok = false;
    const call = client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      bytes,
      bytes,
      Buffer.alloc(0),
      new grpc.Metadata(),
      { deadline: Date.now() + 5000 },
      (err, response) => {
        if (err) console.error(`error: ${err.code} ${err.details}`);
        else {
          ok = true;
          console.log(`answer ${response.toString('hex')}`);
        }
      },
    );
    call.on('metadata', (m) => console.log(`metadata ${JSON.stringify(m.getMap())}`));
    call.on('status', (s) => {
      console.log(`status ${s.code} ${s.details}`);
      client.close();
      // The callback runs before or after 'status' depending on the version: let both be printed.
      setTimeout(() => resolve(ok), 0);
    });
  });
}

if (process.argv[2] === '--session') {
  // One stream, so that each connection's error comes before the line that ends it.
  console.error = console.log;
  for await (const line of createInterface({ input: process.stdin })) {
    const [host, port, name] = line.trim().split(' ');
    const ok = name ? await check(host, port, name) : (console.error(`error: expected <host> <port> <name>`), false);
    process.stdout.write(`mtls-conformance exit ${ok ? 0 : 1}\n`);
  }
} else {
  const [host, port, name] = process.argv.slice(2);
  process.exitCode = (await check(host, port, name)) ? 0 : 1;
}
