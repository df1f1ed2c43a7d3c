/**
 * Authorization: among all the identities the trusted CA signs, the server admits only those it
 * declares (`admits`). The good client certificate carries exactly the admitted identities; each
 * adversarial twin comes from the same CA, with the same key type, EKU and issuer, and differs in
 * the identity alone: another one, the admitted name in the CN only, the admitted name in another
 * SAN type. A server that declares no `admits` has these checks n/a.
 */
import type { ClientProfile } from '../fixtures/profiles.js';
import { adversarial, conformance, control, refusedDeliveredNothing } from '../harness/spec/api.js';

const rejections: Array<[id: string, presented: ClientProfile, what: string]> = [
  ['authz.reject-other-identity', 'client-other-identity', 'another identity from the same CA'],
  ['authz.reject-admitted-in-cn-only', 'client-identity-in-cn-only', 'the admitted name in the CN only'],
  ['authz.reject-admitted-as-other-san-type', 'client-identity-other-type', 'the admitted names in other SAN types'],
];

await conformance('authorization', (check) => {
  check(
    'authz.accept-admitted',
    async (t, expect) => {
      const outcome = await t.server('the admitted identity', { client: 'client' });
      expect(outcome).toBeAccepted();
      t.expectPeerSans(outcome, 'server', t.target.config.server!.admits!);
    },
    'the server refuses the identity it declares it admits: is the admits list the one its configuration has?',
  );

  for (const [id, presented, what] of rejections) {
    check(
      id,
      async (t, expect) => {
        const outcome = await t.contrast(
          expect,
          () => t.server(control('the admitted identity'), { client: 'client' }),
          () => t.server(adversarial(`${presented} (${what})`), { client: presented }),
        );
        refusedDeliveredNothing(outcome);
      },
      'the server refuses the identity it declares it admits: is the admits list the one its configuration has?',
    );
  }
});
