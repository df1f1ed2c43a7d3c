/** Authentication, client side: the target's client verifies the server (client.py). */
import { SERVER_IP } from '../fixtures/profiles.js';
import type { ServerProfile } from '../fixtures/profiles.js';
import { adversarial, conformance, control, holds, refusedDeliveredNothing } from '../harness/spec/api.js';

/** The name each probe dials is the property's need (the catalogue's `dial`): most need none in particular. */
const rejections: Array<[id: string, presented: ServerProfile]> = [
  ['sauth.reject-foreign-ca', 'server-foreign-ca'],
  ['sauth.reject-self-signed', 'server-self-signed'],
  ['sauth.reject-expired', 'server-expired'],
  ['sauth.reject-not-yet-valid', 'server-not-yet-valid'],
  ['sauth.reject-dns-mismatch', 'server-dns-mismatch'],
  ['sauth.reject-dns-only-for-ip', 'server-dns-only'],
  ['sauth.reject-eku-client-only', 'server-eku-client'],
];

await conformance('server-authentication', (check) => {
  check('sauth.accept-good', async (t, expect) => {
    const outcome = await t.client('good server certificate', { server: 'server' });
    expect(outcome).toBeAccepted();
    const { client } = outcome.evidence;
    if (client.authorized !== undefined)
      holds(
        client.authorized,
        `the client application's socket says the server is not authorized ` +
          `(${client.authorizationError ?? 'no error given'})`,
      );
    // The organisation is faker-made, so a program's output cannot show it by coincidence.
    const organisation = t.target.pki.certificates.server.subject.O!;
    t.expectPeerSeen(outcome, 'client', organisation, 'the server identity (its O)');
    if (client.peer) {
      holds(
        client.peer.subject.CN === SERVER_IP,
        `the client application sees the server as CN=${client.peer.subject.CN}, not CN=${SERVER_IP}`,
      );
      holds(
        (client.peer.subjectaltname ?? '').includes(`IP Address:${SERVER_IP}`),
        `the client application sees the server's SANs as ${client.peer.subjectaltname ?? 'none'}, without ` +
          `IP:${SERVER_IP}`,
      );
    }
  });

  for (const [id, presented] of rejections) {
    check(id, async (t, expect) => {
      const outcome = await t.contrast(
        expect,
        () => t.client(control('good server certificate'), { server: 'server' }),
        () => t.client(adversarial(`${presented}`), { server: presented }),
      );
      refusedDeliveredNothing(outcome);
    });
  }
});
