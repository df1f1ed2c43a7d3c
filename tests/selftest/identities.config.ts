/**
 * Servers that admit clients by identity (tests/identities.test.ts): one that admits exactly one
 * SPIFFE ID, and three that get it wrong in the ways real deployments do: checking only the CN,
 * admitting any identity the CA signed, matching the admitted string in any SAN type.
 */
import type { TLSSocket } from 'node:tls';
import { defineConfig } from '../../harness/config/types.js';
import { echoApplication } from '../../harness/targets/node.js';
import { documentServer } from './document.js';

const SPIFFE = 'spiffe://example.test/ns/prod/sa/orders';
/** An application that admits the clients `admits` lets in and drops the rest. */
const admitting = (admits: (socket: TLSSocket) => boolean) => (socket: TLSSocket) =>
  admits(socket) ? echoApplication(socket) : socket.destroy();
const sans = (socket: TLSSocket) => (socket.getPeerCertificate().subjectaltname ?? '').split(', ');
const server = (onConnection: (socket: TLSSocket) => void) => ({
  kind: 'node' as const,
  options: documentServer,
  onConnection,
  admits: [`URI:${SPIFFE}`],
});

export default defineConfig({
  targets: {
    'admits-one-spiffe-id': {
      description: 'admits exactly one SPIFFE ID (a URI SAN)',
      server: server(admitting((s) => sans(s).includes(`URI:${SPIFFE}`))),
    },
    'checks-cn-only': {
      description: 'admits on the CN alone',
      server: server(admitting((s) => s.getPeerCertificate().subject.CN === SPIFFE)),
    },
    'admits-any-identity': {
      description: 'declares one identity, admits every certificate its CA signed',
      server: server(echoApplication),
    },
    'matches-any-san-type': {
      description: 'looks for the admitted string anywhere in the SANs',
      server: server(admitting((s) => (s.getPeerCertificate().subjectaltname ?? '').includes(SPIFFE))),
    },
  },
});
