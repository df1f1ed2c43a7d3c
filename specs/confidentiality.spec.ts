/** Confidentiality: data is encrypted on the wire, with a modern AEAD, forward-secret session. */
import {
  adversarial,
  conformance,
  control,
  holds,
  isAead,
  isForwardSecret,
  type CheckContext,
  type Outcome,
} from '../harness/spec/api.js';

async function exchange(t: CheckContext, role: 'server' | 'client'): Promise<Outcome> {
  return role === 'server'
    ? t.server('sentinel exchange', { client: 'client' })
    : t.client('sentinel exchange', { server: 'server' });
}

await conformance('confidentiality', (check) => {
  for (const role of ['server', 'client'] as const) {
    check(`conf.wire-encrypted.${role}`, async (t, expect) => {
      const outcome = await exchange(t, role);
      // Positive control: the sentinels did cross, so their absence on the wire means encryption.
      expect(outcome).toBeAccepted();
      const { capture, plaintext } = outcome;
      // The client's sentinel must have crossed; the server's answer is checked whenever it sends
      // one (the document's server.py only prints what it received).
      holds(
        plaintext.c2s.length > 0,
        'the client application sent no bytes, so their absence from the wire shows nothing',
      );
      const way = { c2s: 'client to server', s2c: 'server to client' } as const;
      for (const [from, secret] of Object.entries(plaintext).filter(([, b]) => b.length > 0)) {
        for (const dir of ['c2s', 's2c'] as const) {
          holds(
            !capture.bytes[dir].includes(secret),
            `the ${from} application data "${secret.toString().trim()}" crossed the wire in clear (${way[dir]})`,
          );
        }
      }
      holds(
        capture.malformed.length === 0,
        `bytes outside TLS records crossed the wire: ${capture.malformed.join('; ')}`,
      );
      holds(
        capture.trailing.c2s === 0 && capture.trailing.s2c === 0,
        `the stream ended inside an incomplete TLS record (${capture.trailing.c2s} bytes client to server, ` +
          `${capture.trailing.s2c} server to client)`,
      );
    });

    if (role === 'client')
      check('conf.reject-starttls-downgrade.client', async (t, expect) => {
        // n/a where the protocol starts with TLS (the context says so); the control is the good exchange.
        await t.contrast(
          expect,
          () => t.client(control('the server takes the request for TLS'), { server: 'server' }),
          () =>
            t.client(adversarial('the server declines TLS in the protocol'), { server: 'server', declineTls: true }),
        );
      });

    check(`conf.aead-fs.${role}`, async (t, expect) => {
      const outcome = await exchange(t, role);
      expect(outcome).toBeAccepted();
      const { client, server } = outcome.evidence;
      const protocol = client.protocol ?? server.protocol;
      const cipher = client.standardCipher ?? server.cipher;
      holds(
        protocol === 'TLSv1.2' || protocol === 'TLSv1.3',
        `the connection negotiated ${protocol ?? 'no known protocol version'}, older than TLS 1.2`,
      );
      holds(
        !/_WITH_NULL_|^TLS_NULL/.test(cipher ?? ''),
        `the connection negotiated ${cipher}, which does not encrypt (a NULL cipher)`,
      );
      // An AEAD is RECOMMENDED (RFC 9325 §4.2), not required: noted here, judged by crypto.reject-cbc-suites.
      if (!isAead(cipher))
        t.note(
          `the connection negotiated ${cipher}, which is not an AEAD cipher (crypto.reject-cbc-suites judges that, ` +
            `a strict property)`,
        );
      holds(
        isForwardSecret(protocol, cipher),
        `the connection negotiated ${cipher} on ${protocol}, whose key exchange is not forward-secret (group ` +
          `${client.group ?? 'none'})`,
      );
    });
  }
});
