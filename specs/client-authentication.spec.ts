/** Authentication, server side: the target's server verifies client certificates (server.py). */
import { sanText, type ClientProfile } from '../fixtures/profiles.js';
import {
  adversarial,
  conformance,
  control,
  holds,
  NotApplicable,
  refusedDeliveredNothing,
  subjectName,
} from '../harness/spec/api.js';

const rejections: Array<[id: string, presented: ClientProfile | 'none']> = [
  ['cauth.reject-none', 'none'],
  ['cauth.reject-foreign-ca', 'client-foreign-ca'],
  ['cauth.reject-self-signed', 'client-self-signed'],
  ['cauth.reject-expired', 'client-expired'],
  ['cauth.reject-not-yet-valid', 'client-not-yet-valid'],
  ['cauth.reject-eku-server-only', 'client-eku-server'],
];

const postHandshake: Array<[id: string, presented: ClientProfile | 'none']> = [
  ['cauth.reject-none-post-handshake', 'none'],
  ['cauth.reject-foreign-ca-post-handshake', 'client-foreign-ca'],
];
const pha = (client: ClientProfile | 'none') => ({ client, postHandshake: true as const });

await conformance('client-authentication', (check) => {
  check('cauth.accept-good', async (t, expect) => {
    const outcome = await t.server('good client certificate', { client: 'client' });
    expect(outcome).toBeAccepted();
    const { server } = outcome.evidence;
    // A program shows what it saw in its output or answer; Node's socket says it directly.
    if (server.authorized !== undefined)
      holds(
        server.authorized,
        `the server application's socket says the client is not authorized ` +
          `(${server.authorizationError ?? 'no error given'})`,
      );
    const client = t.target.pki.certificates.client;
    t.expectPeerSeen(outcome, 'server', client.subject.CN!, 'the client identity');
    const sans = client.san
      .map(sanText)
      .map((s) => s.replace(/^IP:/, 'IP Address:'))
      .join(', ');
    if (server.peer)
      holds(
        server.peer.subjectaltname === sans,
        `the server application sees the client's SANs as ${server.peer.subjectaltname ?? 'none'}, not ${sans}`,
      );
  });

  check('cauth.strict-ca-list', async (t, expect) => {
    const outcome = await t.server(control('good client certificate'), { client: 'client' });
    expect(outcome).toBeAccepted();
    const request = outcome.evidence.negotiated.certificateRequest;
    if (t.version === 'TLSv1.3' && !outcome.evidence.negotiated.handshakeDecrypted)
      throw new NotApplicable(
        "TLS 1.3 encrypts the CertificateRequest, and the server's flight could not be read with the reference " +
          "client's key log",
      );
    if (!request)
      throw new NotApplicable(
        'the server sent no CertificateRequest: it accepted the good client without asking for a certificate ' +
          '(cauth.reject-none says whether that lets anyone in)',
      );
    // The names the run's client certificates chain to: its CA (installed or issued).
    const issuer = subjectName(t.target.pki.certificates['root-ca'].cert);
    const others = request.caNames.filter((n) => n !== issuer);
    t.note(
      request.caNames.length
        ? `the CertificateRequest lists ${request.caNames.length} CA name(s): ${request.caNames
            .slice(0, 3)
            .map((n) => n.replace(/\n/g, ', '))
            .join('; ')}${request.caNames.length > 3 ? '; ...' : ''}`
        : 'the CertificateRequest lists no CA names (allowed)',
    );
    const judged = t.derived(
      adversarial(`does the CertificateRequest name CAs other than the client CA (${issuer.replace(/\n/g, ', ')})?`),
      {
        ...outcome,
        verdict: others.length ? 'accepted' : 'rejected',
        reason: others.length
          ? `the server asks for certificates from ${others.length} CA(s) the run's clients do not come from: ${others
              .slice(0, 5)
              .map((n) => n.replace(/\n/g, ', '))
              .join('; ')}${others.length > 5 ? `; and ${others.length - 5} more` : ''}`
          : `every CA name listed (${request.caNames.length}) is the client CA`,
      },
    );
    expect(judged).toBeRejected();
  });

  // With a reference client that answers a certificate asked for after the handshake (Python's ssl):
  // a server that asks only for a protected path (Apache's <Location>) is judged there.
  for (const [id, presented] of postHandshake) {
    check(id, async (t, expect) => {
      const outcome = await t.contrast(
        expect,
        () => t.server(control('good client certificate, post-handshake capable client'), pha('client')),
        () => t.server(adversarial(`${presented}, post-handshake capable client`), pha(presented)),
      );
      refusedDeliveredNothing(outcome);
    });
  }

  for (const [id, presented] of rejections) {
    check(id, async (t, expect) => {
      const outcome = await t.contrast(
        expect,
        () => t.server(control('good client certificate'), { client: 'client' }),
        () => t.server(adversarial(`${presented}`), { client: presented }),
      );
      refusedDeliveredNothing(outcome);
    });
  }
});
