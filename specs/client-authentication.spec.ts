/** Authentication, server side: the target's server verifies client certificates (server.py). */
import { sanText, type ClientProfile } from '../fixtures/profiles.js';
import { conformance } from '../harness/spec/conformance.js';

const rejections: Array<[id: string, presented: ClientProfile | 'none']> = [
  ['cauth.reject-none', 'none'],
  ['cauth.reject-foreign-ca', 'client-foreign-ca'],
  ['cauth.reject-self-signed', 'client-self-signed'],
  ['cauth.reject-expired', 'client-expired'],
  ['cauth.reject-not-yet-valid', 'client-not-yet-valid'],
  ['cauth.reject-eku-server-only', 'client-eku-server'],
];

await conformance('client-authentication', (check) => {
  check('cauth.accept-good', async (t, expect) => {
    const outcome = await t.server('good client certificate', { client: 'client' });
    expect(outcome).toBeAccepted();
    const { server } = outcome.evidence;
    // A program shows what it saw in its output or answer; Node's socket says it directly.
    if (server.authorized !== undefined) expect(server.authorized, 'socket.authorized in the server application').toBe(true);
    const client = t.target.pki.certificates.client;
    t.expectPeerSeen(expect, outcome, 'server', client.subject.CN!, 'the client identity');
    if (server.peer) expect(server.peer.subjectaltname).toBe(client.san.map(sanText).map((s) => s.replace(/^IP:/, 'IP Address:')).join(', '));
  });

  for (const [id, presented] of rejections) {
    check(id, async (t, expect) => {
      const outcome = await t.contrast(expect,
        () => t.server('positive control: good client certificate', { client: 'client' }),
        () => t.server(`adversarial: ${presented}`, { client: presented }));
      expect(outcome.evidence.server.delivered, 'bytes from the rejected client that reached the server application').toBe(0);
    });
  }
});
