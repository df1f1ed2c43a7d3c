/**
 * Resumption, client side. A reference server that issues tickets (under keys of this check's
 * own) first serves the client under its verified name; then the client dials another name, one
 * the server certificate does not carry. A client that offers the first session there, and
 * accepts its resumption, never checks the second name: Node's tls skips checkServerIdentity on a
 * resumed session, so a Node client that reuses sessions across names is caught here.
 */
import { randomBytes } from 'node:crypto';
import { SERVER_DNS } from '../fixtures/profiles.js';
import type { ExpectStatic } from 'vitest';
import {
  adversarial,
  conformance,
  control,
  NotApplicable,
  openNamesOf,
  SessionJar,
  type CheckContext,
  type Outcome,
} from '../harness/spec/api.js';

/**
 * A resumption check fails only on a resumption. An adversarial connection let in by a full
 * handshake (no session resumed) is the finding of the certificate check that owns it (`owner`):
 * the probe is marked as that check's, and this cell is n/a with the reason.
 */
function fullHandshakeOwner(t: CheckContext, outcome: Outcome, owner: string, what: string): string | undefined {
  if (outcome.verdict !== 'accepted' || outcome.evidence.resumed) return undefined;
  t.ownedBy(outcome, owner);
  return `${what} was let in by a full handshake, no session resumed: a finding of ${owner}, not of a resumption`;
}

/**
 * The positive control of the server checks: a session resumes, the trust unchanged. A server
 * that never resumes (or refuses the connection that offers a session) has nothing a session could
 * carry over: n/a, with the full handshake as evidence. `name`: the server name dialed, when not the project's.
 */
async function serverResumes(
  t: CheckContext,
  expect: ExpectStatic,
  what: string,
  p: { client: 'client' | 'none'; name?: string },
): Promise<SessionJar> {
  const jar = new SessionJar();
  const made = await t.server(control(`${what} (a session is made)`), { ...p, session: jar });
  expect(made).toBeAccepted();
  const again = await t.server(control(`${what}, its session offered again`), { ...p, session: jar });
  // Refusing the connection that offers a session is the server's way too (a Node application
  // keyed on socket.servername sees none on a resumed TLS 1.2 session): nothing resumes into it.
  if (again.verdict === 'rejected')
    throw new NotApplicable(
      `the server refused ${what} when it offered its session again (${again.reason}), so no session carries ` +
        `anything over`,
    );
  expect(again).toBeAccepted();
  if (!again.evidence.resumed) {
    throw new NotApplicable(
      `the server did not resume a session of ${what} (${again.evidence.negotiated.version ?? 'the handshake'} was ` +
        `a full one), so no session can carry anything over`,
    );
  }
  // The resumed connection carries the identity the full one showed the application (whether a
  // server that never asked shows none is the client-authentication checks' business).
  if (made.evidence.server.peer)
    t.expectPeerSeen(
      again,
      'server',
      made.evidence.server.peer.subject.CN!,
      'the client identity on the resumed connection',
    );
  return jar;
}

await conformance(
  'resumption',
  (check) => {
    // Server side: a session made under the old client CA must not outlive the CA's rotation. The
    // target's server is restarted trusting the foreign CA (the same subject, another key); only
    // ticket keys it keeps by configuration (a fleet's shared `ticketKeys`) carry a session over.
    check('resume.server-reject-after-ca-change', async (t, expect) => {
      const jar = await serverResumes(t, expect, 'the good client certificate, the trust unchanged', {
        client: 'client',
      });
      const renewed = await t.server(control('after the rotation, a client certificate from the new CA'), {
        client: 'client-foreign-ca',
        trust: 'rotated',
      });
      expect(renewed).toBeAccepted();
      const old = await t.server(adversarial('the old session offered after the rotation'), {
        client: 'client',
        session: jar,
        trust: 'rotated',
      });
      const owned = fullHandshakeOwner(
        t,
        old,
        'cauth.reject-foreign-ca',
        'the client of the old CA, after the rotation',
      );
      if (owned) throw new NotApplicable(owned);
      if (old.evidence.resumed) t.note('the server resumed the session made under the old client CA');
      expect(old).toBeRejected();
    });

    // Server side: a session the server handed to a client it did not authenticate (no certificate,
    // or one it refused) must not later pass for an authenticated one. OpenSSL servers send TLS 1.3
    // tickets as the handshake ends, before an application has looked at the peer; an application
    // that takes a resumed session for a verified one then serves a client that never showed a
    // certificate.
    check('resume.server-reject-unauthenticated-session', async (t, expect) => {
      await serverResumes(t, expect, 'the good client certificate', { client: 'client' });
      let judged = 0;
      const owned: string[] = [];
      for (const [who, client] of [
        ['no client certificate', 'none'],
        ['a client certificate from an untrusted CA (the foreign CA)', 'client-foreign-ca'],
      ] as const) {
        const held = new SessionJar();
        const first = await t.server(adversarial(`a client with ${who} (it keeps any session it is given)`), {
          client,
          session: held,
        });
        // Let in on its full handshake: the client-authentication checks' finding; resuming it adds nothing to tell.
        const letIn = fullHandshakeOwner(
          t,
          first,
          client === 'none' ? 'cauth.reject-none' : 'cauth.reject-foreign-ca',
          `the client with ${who}`,
        );
        if (letIn) {
          owned.push(letIn);
          continue;
        }
        if (!held.session) {
          t.note(
            `the server gave the client with ${who} no session (its full handshake: ${first.verdict}, ${first.reason})`,
          );
          continue;
        }
        const later = await t.server(
          adversarial(`the session the server gave the client with ${who}, offered with no certificate`),
          { client: 'none', session: held },
        );
        const full = fullHandshakeOwner(
          t,
          later,
          'cauth.reject-none',
          `the client offering the session it got with ${who}, with no certificate,`,
        );
        if (full) {
          owned.push(full);
          continue;
        }
        judged++;
        if (later.evidence.resumed) t.note(`the server resumed the session it gave the client with ${who}`);
        expect(later).toBeRejected();
      }
      if (!judged && owned.length) throw new NotApplicable(owned.join('; '));
      if (!judged)
        t.note('no session of an unauthenticated client to offer: the server gave none, so none can be resumed');
    });

    // Server names on one address, one open and one requiring client certificates (nginx
    // CVE-2025-23419): a session made on the open name, with no certificate, must not resume into
    // the name that requires one. A session cache or ticket keys shared by the server's names carry it over.
    check('resume.server-reject-open-name-session', async (t, expect) => {
      const [open] = openNamesOf(t.target);
      if (!open)
        throw new NotApplicable(
          "the server declares no open name (`names: { …: { clientAuth: 'none' } }`) beside this one on its address",
        );
      const jar = await serverResumes(t, expect, `no client certificate, dialing the open name ${open}`, {
        client: 'none',
        name: open,
      });
      const into = await t.server(adversarial(`that session offered to this name, with no certificate`), {
        client: 'none',
        session: jar,
      });
      const owned = fullHandshakeOwner(
        t,
        into,
        'cauth.reject-none',
        `the client with no certificate, offering the open name's session to this name,`,
      );
      if (owned) throw new NotApplicable(owned);
      if (into.evidence.resumed) t.note(`the server resumed, on this name, the session made on the open name ${open}`);
      expect(into).toBeRejected();
    });

    // Client side, the same after the client's own CA is rotated: a session cache that outlives
    // the trust it was verified under lets the old server in without a certificate.
    check('resume.client-reject-after-ca-change', async (t, expect) => {
      const ticketKeys = randomBytes(48);
      // First, so the session the client keeps last is the one made below.
      const renewed = await t.client(control("with the client's CA rotated, a server certificate from the new CA"), {
        server: 'server-foreign-ca',
        trust: 'rotated',
      });
      expect(renewed).toBeAccepted();
      const made = await t.client(control('the good server certificate (a session is made)'), {
        server: 'server',
        resumable: ticketKeys,
      });
      expect(made).toBeAccepted();
      const again = await t.client(control('the same server again, the trust unchanged'), {
        server: 'server',
        resumable: ticketKeys,
      });
      expect(again).toBeAccepted();
      if (!again.evidence.resumed) {
        throw new NotApplicable(
          `the client did not resume its session with the same server under unchanged trust (` +
            (again.evidence.negotiated.sessionOffered ? 'it offered one; the server declined' : 'it offered none') +
            '), so no session can outlive a trust change',
        );
      }
      const old = await t.client(
        adversarial("the old server (its certificate from the old CA) after the client's CA is rotated"),
        { server: 'server', resumable: ticketKeys, trust: 'rotated' },
      );
      const owned = fullHandshakeOwner(t, old, 'sauth.reject-foreign-ca', 'the old server, after the rotation,');
      if (owned) throw new NotApplicable(owned);
      if (old.evidence.resumed) t.note('the client resumed the session it made under its old CA');
      expect(old).toBeRejected();
    });

    check('resume.client-reject-other-name', async (t, expect) => {
      const ticketKeys = randomBytes(48);
      const first = await t.client(control(`the good server certificate, dialing ${SERVER_DNS} (a session is made)`), {
        server: 'server',
        name: SERVER_DNS,
        resumable: ticketKeys,
      });
      expect(first).toBeAccepted();
      const other = t.identities.unrelatedDomain;
      const second = await t.client(
        adversarial(`the same server, dialing ${other}, a name its certificate does not carry`),
        { server: 'server', name: other, resumable: ticketKeys },
      );
      if (second.evidence.resumed)
        t.note(`the client resumed the session made for ${SERVER_DNS} on its connection to ${other}`);
      const offered = second.evidence.negotiated.sessionOffered === true;
      // Let in by a full handshake: the host-name checks own that; the offer, if any, is still this check's.
      const owned = fullHandshakeOwner(t, second, 'sauth.reject-dns-mismatch', `the server dialed as ${other}`);
      if (owned && !offered) throw new NotApplicable(`${owned}; the client offered no session there`);
      if (!owned) expect(second).toBeRejected();
      // Offering a session made for another name is the flaw itself
      // (RFC 6066 §3: a resumption carries the session's own server_name): a server that resumes on a
      // changed SNI (OpenSSL declines in TLS 1.2, not in TLS 1.3) lets the client skip the name.
      const judged = t.derived(
        adversarial(`does the client offer a session of another connection when dialing ${other}?`),
        {
          ...second,
          verdict: offered ? 'accepted' : 'rejected',
          reason: offered
            ? `its ClientHello to ${other} offers a session (a session ticket or a pre_shared_key) made on another ` +
              `connection; a server that resumes it would never show the client a certificate for ${other}`
            : `its ClientHello to ${other} offers no session`,
        },
      );
      expect(judged).toBeRejected();
    });
  },
  { oneAtATime: true },
);
