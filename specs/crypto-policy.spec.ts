/**
 * Crypto policy: what each role refuses to negotiate. Weak certificates (RSA-1024, SHA-1) are
 * presented by the reference peer; obsolete versions are offered by a reference peer pinned to
 * them; weak TLS 1.2 suites are offered to a server in a hand-written ClientHello (Node's OpenSSL
 * cannot offer RC4 or 3DES) and read from what a client offers in its own ClientHello.
 */
import { familyCodes, type SuiteFamily } from '../harness/hello.js';
import { judgeOffer } from '../harness/probe.js';
import { conformance } from '../harness/spec/conformance.js';

const certificates: Array<[id: string, suffix: string, what: string]> = [
  ['crypto.reject-weak-rsa-key', '-weak-key', 'RSA-1024 key'],
  ['crypto.reject-sha1-signature', '-sha1', 'SHA-1 signature'],
];
const versions = [['crypto.reject-tls1.0', 'TLSv1'], ['crypto.reject-tls1.1', 'TLSv1.1']] as const;
const families: Array<[id: string, family: SuiteFamily]> = [
  ['crypto.reject-null-suites', 'null'],
  ['crypto.reject-rc4-suites', 'rc4'],
  ['crypto.reject-3des-suites', '3des'],
  ['crypto.reject-cbc-suites', 'cbc'],
  ['crypto.reject-static-rsa-suites', 'static-rsa'],
];

await conformance('crypto-policy', (check) => {
  for (const role of ['server', 'client'] as const) {
    const peer = role === 'server' ? 'client' : 'server';

    for (const [id, suffix, what] of certificates) {
      check(`${id}.${role}`, async (t, expect) => {
        expect(await t.present(role, `positive control: the good ${peer} certificate`, '')).toBeAccepted();
        const outcome = await t.present(role, `adversarial: ${peer}${suffix} (${what})`, suffix);
        expect(outcome).toBeRejected();
        expect(outcome.evidence.server.delivered, 'bytes that reached the server application').toBe(0);
      });
    }

    for (const [id, pin] of versions) {
      check(`${id}.${role}`, async (t, expect) => {
        expect(await t.present(role, `positive control: the ${peer} on ${t.version}`, '')).toBeAccepted();
        // Refusing may come at the ServerHello (protocol_version) or later (a client that offered
        // the version and then cannot sign or verify at its security level): either way no data.
        expect(await t.present(role, `adversarial: the ${peer} pinned to ${pin}`, '', { pin })).toBeRejected();
      });
    }

    for (const [id, family] of families) {
      check(`${id}.${role}`, async (t, expect) => {
        if (role === 'server') {
          expect(await t.offer('positive control: a ClientHello offering ECDHE AEAD suites')).toBeAccepted();
          expect(await t.offer(`adversarial: a ClientHello offering only ${family} suites`, familyCodes(family))).toBeRejected();
          return;
        }
        const control = await t.client('positive control: the client against the reference server', { server: 'server' });
        expect(control).toBeAccepted();
        expect(t.derived(`adversarial: does the client offer ${family} suites?`, judgeOffer(control, family))).toBeRejected();
      });
    }
  }
});
