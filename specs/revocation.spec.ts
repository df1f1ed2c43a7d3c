/**
 * Revocation: each role is given the CRLs of the run's CAs (material `crl`, a program's {crl})
 * and must refuse the peer certificate they list as revoked. The control is the same certificate's
 * good twin, not listed, accepted with the same CRLs: a role that fails on the CRLs themselves
 * (a missing CA's CRL, say) fails its control, not the property.
 */
import { adversarial, conformance, control } from '../harness/spec/api.js';

await conformance('revocation', (check) => {
  for (const role of ['server', 'client'] as const) {
    const peer = role === 'server' ? 'client' : 'server';
    check(`revoke.strict-reject-revoked.${role}`, async (t, expect) => {
      // A rejection means no application data crossed either way (probe.ts); contrast asserts it.
      await t.contrast(
        expect,
        () => t.present(role, control(`the good ${peer} certificate, not listed in the CRL`), ''),
        () => t.present(role, adversarial(`the ${peer} certificate the CRL lists as revoked`), '-revoked'),
      );
    });
    // Revocation of a CA revokes what it issued: the whole chain is checked, not the leaf alone.
    check(`revoke.strict-reject-revoked-intermediate.${role}`, async (t, expect) => {
      await t.contrast(
        expect,
        () =>
          t.present(
            role,
            control(`the ${peer} certificate via the intermediate CA, sent with it`),
            '-via-intermediate',
            { chain: ['intermediate-ca'] },
          ),
        () =>
          t.present(
            role,
            adversarial(`the same, sent with the intermediate CA's twin the root's CRL revokes`),
            '-via-intermediate',
            { chain: ['intermediate-revoked'] },
          ),
      );
    });

    // A CRL that cannot decide must not let the certificate through: its control is the same
    // certificate under the good CRLs, so only the broken CRL differs.
    for (const [id, variant, what] of [
      [`revoke.strict-reject-expired-crl.${role}`, 'expired', 'past its nextUpdate'],
      [`revoke.strict-reject-bad-crl-signature.${role}`, 'bad-signature', 'whose signature does not verify'],
    ] as const) {
      check(id, async (t, expect) => {
        await t.contrast(
          expect,
          () => t.present(role, control(`the good ${peer} certificate under the run's CRLs`), ''),
          () =>
            t.present(role, adversarial(`the good ${peer} certificate, the ${role} given a root-CA CRL ${what}`), '', {
              targetCrl: variant,
            }),
        );
      });
    }
  }
});
