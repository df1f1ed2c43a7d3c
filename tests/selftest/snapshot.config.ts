/**
 * A target whose TLS options a test changes between runs (tests/snapshot.test.ts), as a team
 * edits its configuration: SNAPSHOT_DEMO_CIPHERS adds cipher suites, SNAPSHOT_DEMO_OPTIONAL lets
 * unverified clients through.
 */
import { defineConfig } from '../../harness/config/types.js';

const ciphers = ['ECDHE+AESGCM', process.env.SNAPSHOT_DEMO_CIPHERS].filter(Boolean).join(':');
const optional = process.env.SNAPSHOT_DEMO_OPTIONAL === '1';

export default defineConfig({
  targets: {
    service: {
      description: 'the document server on ECDHE AEAD suites',
      server: {
        kind: 'node',
        options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, rejectUnauthorized: !optional, ciphers }),
      },
    },
  },
});
