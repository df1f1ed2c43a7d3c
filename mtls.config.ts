/**
 * The targets under test. The default is the document's own setup, in process:
 * server.py: CERT_REQUIRED, its certificate and key, trusting ca_cert.pem.
 * client.py: create_default_context(SERVER_AUTH, cafile=ca_cert.pem) with its certificate,
 * verifying the server's name (the harness supplies host and servername).
 */
import { defineConfig } from './harness/config/types.js';

export default defineConfig({
  targets: {
    reference: {
      description: "the document's server.py and client.py, as Node tls",
      server: {
        kind: 'node',
        options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, rejectUnauthorized: true }),
      },
      client: {
        kind: 'node',
        options: ({ ca, cert, key }) => ({ ca, cert, key }),
      },
    },
  },
});
