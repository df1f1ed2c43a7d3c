// A gRPC client on @grpc/grpc-js, as a team would write it: credentials.createSsl with the CA, its
// key and chain; it dials <host>:<port> and verifies <name> (grpc.ssl_target_name_override), calls
// the health check once (5 s deadline) and prints the answer, its metadata and its status.
// Usage: node client.mjs <host> <port> <name>   (in the material folder)
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';

const [host, port, name] = process.argv.slice(2);
const credentials = grpc.credentials.createSsl(
  readFileSync('ca_cert.pem'),
  readFileSync('client_key.pem'),
  readFileSync('client_cert.pem'),
);
const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
const client = new grpc.Client(address, credentials, {
  'grpc.ssl_target_name_override': name,
  'grpc.default_authority': name,
});
const bytes = (b) => b;
const call = client.makeUnaryRequest(
  '/grpc.health.v1.Health/Check',
  bytes,
  bytes,
  Buffer.alloc(0),
  new grpc.Metadata(),
  { deadline: Date.now() + 5000 },
  (err, response) => {
    if (err) {
      console.error(`error: ${err.code} ${err.details}`);
      process.exit(1);
    }
    console.log(`answer ${response.toString('hex')}`);
  },
);
call.on('metadata', (m) => console.log(`metadata ${JSON.stringify(m.getMap())}`));
call.on('status', (s) => {
  console.log(`status ${s.code} ${s.details}`);
  client.close();
});
