/**
 * Resumption, client side. A reference server that issues tickets (under keys of this check's
 * own) first serves the client under its verified name; then the client dials another name, one
 * the server certificate does not carry. A client that offers the first session there, and
 * accepts its resumption, never checks the second name: Node's tls skips checkServerIdentity on a
 * resumed session, so a Node client that reuses sessions across names is caught here.
 */
import { randomBytes } from 'node:crypto';
import { SERVER_DNS } from '../fixtures/profiles.js';
import { readOffer } from '../harness/hello.js';
import { conformance } from '../harness/spec/conformance.js';
import { NotApplicable, SessionJar } from '../harness/spec/context.js';

await conformance('resumption', (check) => {
  // Server side: a session made under the old client CA must not outlive the CA's rotation. The
  // target's server is restarted trusting the foreign CA (the same subject, another key); only
  // ticket keys it keeps by configuration (a fleet's shared `ticketKeys`) carry a session over.
  check('resume.server-reject-after-ca-change', async (t, expect) => {
    const jar = new SessionJar();
    const made = await t.server('positive control: the good client certificate (a session is made)', { client: 'client', session: jar });
    expect(made).toBeAccepted();
    const again = await t.server('positive control: the session offered again, the trust unchanged', { client: 'client', session: jar });
    expect(again).toBeAccepted();
    if (!again.evidence.resumed) {
      throw new NotApplicable(`the server did not resume the session under unchanged trust (${again.evidence.negotiated.version ?? 'the handshake'} was a full one), so no session can outlive a trust change`);
    }
    const renewed = await t.server("positive control: after the rotation, a client certificate from the new CA", { client: 'client-foreign-ca', trust: 'rotated' });
    expect(renewed).toBeAccepted();
    const old = await t.server('adversarial: the old session offered after the rotation', { client: 'client', session: jar, trust: 'rotated' });
    if (old.evidence.resumed) t.note('the server resumed the session made under the old client CA');
    expect(old).toBeRejected();
  });

  // Client side, the same after the client's own CA is rotated: a session cache that outlives
  // the trust it was verified under lets the old server in without a certificate.
  check('resume.client-reject-after-ca-change', async (t, expect) => {
    const ticketKeys = randomBytes(48);
    // First, so the session the client keeps last is the one made below.
    const renewed = await t.client("positive control: with the client's CA rotated, a server certificate from the new CA", { server: 'server-foreign-ca', trust: 'rotated' });
    expect(renewed).toBeAccepted();
    const made = await t.client('positive control: the good server certificate (a session is made)', { server: 'server', resumable: ticketKeys });
    expect(made).toBeAccepted();
    const again = await t.client('positive control: the same server again, the trust unchanged', { server: 'server', resumable: ticketKeys });
    expect(again).toBeAccepted();
    if (!again.evidence.resumed) {
      throw new NotApplicable(`the client did not resume its session with the same server under unchanged trust (${readOffer(again.capture.bytes.c2s)?.offersSession ? 'it offered one; the server declined' : 'it offered none'}), so no session can outlive a trust change`);
    }
    const old = await t.client("adversarial: the old server (its certificate from the old CA) after the client's CA is rotated", { server: 'server', resumable: ticketKeys, trust: 'rotated' });
    if (old.evidence.resumed) t.note('the client resumed the session it made under its old CA');
    expect(old).toBeRejected();
  });

  check('resume.client-reject-other-name', async (t, expect) => {
    const ticketKeys = randomBytes(48);
    const first = await t.client(`positive control: the good server certificate, dialing ${SERVER_DNS} (a session is made)`, { server: 'server', name: SERVER_DNS, resumable: ticketKeys });
    expect(first).toBeAccepted();
    const other = t.identities.unrelatedDomain;
    const second = await t.client(`adversarial: the same server, dialing ${other}, a name its certificate does not carry`, { server: 'server', name: other, resumable: ticketKeys });
    if (second.evidence.resumed) t.note(`the client resumed the session made for ${SERVER_DNS} on its connection to ${other}`);
    expect(second).toBeRejected();
    // Rejected in a full handshake. Offering a session made for another name is the flaw itself
    // (RFC 6066 §3: a resumption carries the session's own server_name): a server that resumes on a
    // changed SNI (OpenSSL declines in TLS 1.2, not in TLS 1.3) lets the client skip the name.
    const offered = readOffer(second.capture.bytes.c2s)?.offersSession === true;
    const judged = t.derived(`adversarial: does the client offer a session of another connection when dialing ${other}?`, {
      ...second,
      verdict: offered ? 'accepted' : 'rejected',
      reason: offered
        ? `its ClientHello to ${other} offers a session (a session ticket or a pre_shared_key) made on another connection; a server that resumes it would never show the client a certificate for ${other}`
        : `its ClientHello to ${other} offers no session`,
    });
    expect(judged).toBeRejected();
  });
}, { oneAtATime: true });
