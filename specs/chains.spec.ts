/**
 * Chains: the peer's certificate is issued by an intermediate CA. The leaf is the same in every
 * check of a kind; what changes is the intermediate the peer sends, a twin of the good one that
 * differs in the one property under test (x509-limbo style). Both roles verify chains.
 */
import type { IntermediateProfile } from '../fixtures/profiles.js';
import { adversarial, conformance, control, refusedDeliveredNothing } from '../harness/spec/api.js';

const VIA_INTERMEDIATE = '-via-intermediate';
const VIA_SUB_CA = '-via-sub-ca';

/** id, the leaf's suffix, the chain sent with it in the control, and in the adversarial probe. */
const rejections: Array<[id: string, leaf: string, good: IntermediateProfile[], bad: IntermediateProfile[]]> = [
  ['chain.reject-missing-intermediate', VIA_INTERMEDIATE, ['intermediate-ca'], []],
  ['chain.reject-issuer-not-ca', VIA_INTERMEDIATE, ['intermediate-ca'], ['intermediate-not-ca']],
  [
    'chain.reject-issuer-without-basic-constraints',
    VIA_INTERMEDIATE,
    ['intermediate-ca'],
    ['intermediate-no-basic-constraints'],
  ],
  ['chain.reject-pathlen-exceeded', VIA_SUB_CA, ['sub-ca', 'intermediate-ca'], ['sub-ca', 'intermediate-pathlen-0']],
  ['chain.reject-intermediate-expired', VIA_INTERMEDIATE, ['intermediate-ca'], ['intermediate-expired']],
  ['chain.reject-issuer-without-keycertsign', VIA_INTERMEDIATE, ['intermediate-ca'], ['intermediate-no-keycertsign']],
  ['chain.reject-name-constraints', VIA_INTERMEDIATE, ['intermediate-ca'], ['intermediate-name-constrained']],
];

await conformance('chains', (check) => {
  for (const role of ['server', 'client'] as const) {
    const peer = role === 'server' ? 'client' : 'server';

    check(
      `chain.accept-intermediate.${role}`,
      async (t, expect) => {
        const outcome = await t.present(
          role,
          `${peer} certificate issued by the intermediate, sent with it`,
          VIA_INTERMEDIATE,
          { chain: ['intermediate-ca'] },
        );
        expect(outcome).toBeAccepted();
        // Accepted as the identity it is: the peer's name reached the application.
        const identity =
          role === 'server'
            ? t.target.pki.certificates.client.subject.CN!
            : t.target.pki.certificates.server.subject.O!;
        t.expectPeerSeen(outcome, role, identity, `the ${peer} identity`);
      },
      `the ${role} refuses a valid chain of one intermediate: does it build the path from what the ${peer} sends?`,
    );

    for (const [id, leaf, good, bad] of rejections) {
      check(
        `${id}.${role}`,
        async (t, expect) => {
          const outcome = await t.contrast(
            expect,
            () => t.present(role, control(`${peer}${leaf} sent with ${good.join(' + ')}`), leaf, { chain: good }),
            () =>
              t.present(role, adversarial(`${peer}${leaf} sent with ${bad.join(' + ') || 'no intermediate'}`), leaf, {
                chain: bad,
              }),
          );
          refusedDeliveredNothing(outcome);
        },
        good.length > 1
          ? `the ${role} refuses a valid chain of two intermediates: its verify depth?`
          : `the ${role} refuses a valid chain of one intermediate: does it build the path from what the ${peer} ` +
              `sends?`,
      );
    }

    check(`chain.strict-reject-ca-leaf.${role}`, async (t, expect) => {
      await t.contrast(
        expect,
        () => t.present(role, control(`the good ${peer} certificate`), ''),
        () => t.present(role, adversarial(`${peer}-ca-leaf (CA:TRUE)`), '-ca-leaf'),
      );
    });
  }
});
