// A gRPC server on @grpc/grpc-js, as a team would write it: ServerCredentials.createSsl with the
// client CA and checkClientCertificate (unless `optional`: the self-test's mutant), serving the
// standard health check (grpc.health.v1.Health/Check: SERVING). Messages are encoded by hand (no
// .proto files). Each call is printed with its x-mtls-probe metadata and the client's subject.
// Usage: node server.mjs <port> [optional]   (in the material folder)
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

const [port, mode] = process.argv.slice(2);
const bytes = (b) => b;
const health = {
  check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: bytes,
    requestDeserialize: bytes,
    responseSerialize: bytes,
    responseDeserialize: bytes,
  },
};
const server = new grpc.Server();
server.addService(health, {
  check(call, callback) {
    const probe = call.metadata.get('x-mtls-probe')[0] ?? '(no probe)';
    const cert = call.getAuthContext?.().sslPeerCertificate;
    const subject = cert?.raw ? new X509Certificate(cert.raw).subject.replace(/\n/g, ', ') : '(no certificate)';
    console.log(`check ${probe} from ${subject}`);
    callback(null, Buffer.from([0x08, 0x01])); // HealthCheckResponse { status: SERVING }
  },
});
const credentials = grpc.ServerCredentials.createSsl(
  readFileSync('ca_cert.pem'),
  [{ private_key: readFileSync('server_key.pem'), cert_chain: readFileSync('server_cert.pem') }],
  mode !== 'optional',
);
server.bindAsync(`127.0.0.1:${port}`, credentials, (err, bound) => {
  if (err) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  console.log(`listening on 127.0.0.1:${bound}`);
});
