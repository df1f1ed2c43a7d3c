/** Confidentiality: data is encrypted on the wire, with a modern AEAD, forward-secret session. */
import type { Outcome } from '../harness/probe.js';
import type { CheckContext } from '../harness/spec/context.js';
import { conformance } from '../harness/spec/conformance.js';
import { isAead, isForwardSecret } from '../harness/tls.js';


async function exchange(t: CheckContext, role: 'server' | 'client'): Promise<Outcome> {
  return role === 'server' ? t.server('sentinel exchange', { client: 'client' }) : t.client('sentinel exchange', { server: 'server' });
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
      expect(plaintext.c2s.length, 'bytes the client application sent').toBeGreaterThan(0);
      for (const [from, secret] of Object.entries(plaintext).filter(([, b]) => b.length > 0)) {
        for (const dir of ['c2s', 's2c'] as const) {
          expect(capture.bytes[dir].includes(secret), `the ${from} plaintext "${secret.toString().trim()}" in clear on the wire (${dir})`).toBe(false);
        }
      }
      expect(capture.malformed, 'bytes on the wire outside TLS records').toEqual([]);
      expect(capture.trailing, 'incomplete records at the end of the stream').toEqual({ c2s: 0, s2c: 0 });
    });

    check(`conf.aead-fs.${role}`, async (t, expect) => {
      const outcome = await exchange(t, role);
      expect(outcome).toBeAccepted();
      const { client, server } = outcome.evidence;
      const protocol = client.protocol ?? server.protocol;
      const cipher = client.standardCipher ?? server.cipher;
      expect(['TLSv1.2', 'TLSv1.3'], `negotiated protocol`).toContain(protocol);
      expect(isAead(cipher), `cipher ${cipher} is an AEAD`).toBe(true);
      expect(isForwardSecret(protocol, cipher), `cipher ${cipher} on ${protocol} has forward-secret key exchange (group ${client.group})`).toBe(true);
    });
  }
});
