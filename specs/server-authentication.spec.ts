/** Authentication, client side: the target's client verifies the server (client.py). */
import { SERVER_IP } from '../fixtures/profiles.js';
import type { ServerProfile } from '../fixtures/profiles.js';
import type { Dial } from '../harness/probe.js';
import { conformance } from '../harness/spec/conformance.js';

const rejections: Array<[id: string, presented: ServerProfile, dial: Dial]> = [
  ['sauth.reject-foreign-ca', 'server-foreign-ca', 'ip'],
  ['sauth.reject-self-signed', 'server-self-signed', 'ip'],
  ['sauth.reject-expired', 'server-expired', 'ip'],
  ['sauth.reject-not-yet-valid', 'server-not-yet-valid', 'ip'],
  ['sauth.reject-dns-mismatch', 'server-dns-mismatch', 'dns'],
  ['sauth.reject-dns-only-for-ip', 'server-dns-only', 'ip'],
  ['sauth.reject-eku-client-only', 'server-eku-client', 'ip'],
];

await conformance('server-authentication', (check) => {
  check('sauth.accept-good', async (t, expect) => {
    const outcome = await t.client('good server certificate', { server: 'server' });
    expect(outcome).toBeAccepted();
    const { client } = outcome.evidence;
    if (client.authorized !== undefined) expect(client.authorized, 'socket.authorized in the client').toBe(true);
    // The organisation is faker-made, so a program's output cannot show it by coincidence.
    const organisation = t.target.pki.certificates.server.subject.O!;
    t.expectPeerSeen(expect, outcome, 'client', organisation, 'the server identity (its O)');
    if (client.peer) {
      expect(client.peer.subject.CN).toBe(SERVER_IP);
      expect(client.peer.subjectaltname).toContain(`IP Address:${SERVER_IP}`);
    }
  });

  for (const [id, presented, dial] of rejections) {
    check(id, async (t, expect) => {
      const outcome = await t.contrast(expect,
        () => t.client(`positive control: good server certificate, dialing by ${dial}`, { server: 'server', dial }),
        () => t.client(`adversarial: ${presented}, dialing by ${dial}`, { server: presented, dial }));
      expect(outcome.evidence.server.delivered, 'bytes the client sent to the server it should have refused').toBe(0);
    });
  }
});
