/**
 * Crypto policy: what each role refuses to negotiate. Weak certificates (RSA-1024, SHA-1) are
 * presented by the reference peer; obsolete versions are offered by a reference peer pinned to
 * them; weak TLS 1.2 suites are offered to a server in a hand-written ClientHello (Node's OpenSSL
 * cannot offer RC4 or 3DES) and read from what a client offers in its own ClientHello.
 */
import {
  adversarial,
  conformance,
  control,
  familyCodes,
  judgeOffer,
  refusedDeliveredNothing,
  TLS12_SUITES,
  type Outcome,
  type SuiteFamily,
} from '../harness/spec/api.js';

const certificates: Array<[id: string, suffix: string, what: string]> = [
  ['crypto.reject-weak-rsa-key', '-weak-key', 'RSA-1024 key'],
  ['crypto.reject-sha1-signature', '-sha1', 'SHA-1 signature'],
];
const versions = [
  ['crypto.reject-tls1.0', 'TLSv1'],
  ['crypto.reject-tls1.1', 'TLSv1.1'],
] as const;
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
        const outcome = await t.contrast(
          expect,
          () => t.present(role, control(`the good ${peer} certificate`), ''),
          () => t.present(role, adversarial(`${peer}${suffix} (${what})`), suffix),
        );
        refusedDeliveredNothing(outcome);
      });
    }

    for (const [id, pin] of versions) {
      check(`${id}.${role}`, async (t, expect) => {
        // Refusing may come at the ServerHello (protocol_version) or later (a client that offered
        // the version and then cannot sign or verify at its security level): either way no data.
        await t.contrast(
          expect,
          () => t.present(role, control(`the ${peer} on ${t.version}`), ''),
          () => t.present(role, adversarial(`the ${peer} pinned to ${pin}`), '', { pin }),
        );
      });
    }

    for (const [id, family] of families) {
      check(
        `${id}.${role}`,
        async (t, expect) => {
          if (role === 'server') {
            // The control is the adversarial offer's twin: every suite the harness can write but this family.
            await t.contrast(
              expect,
              () =>
                t.offer(
                  control(`a ClientHello offering every TLS 1.2 suite but the ${family} ones`),
                  TLS12_SUITES.filter((c) => !familyCodes(family).includes(c)),
                ),
              () => t.offer(adversarial(`a ClientHello offering only ${family} suites`), familyCodes(family)),
            );
            return;
          }
          // The client's own ClientHello is the evidence; it is its real one when the exchange went through.
          let offered: Outcome | undefined;
          await t.contrast(
            expect,
            async () =>
              (offered = await t.client(control('the client against the reference server'), { server: 'server' })),
            () =>
              Promise.resolve(
                t.derived(adversarial(`does the client offer ${family} suites?`), judgeOffer(offered!, family)),
              ),
          );
        },
        role === 'server' ? 'the server accepts none of the suites offered as control' : undefined,
      );
    }
  }
});
