/**
 * Material: what one role of one check is given. Trust is always the run's root CA: the
 * adversarial part of a check lives in the certificate a peer presents, never in what it trusts.
 */
import type { ProfileName } from '../../fixtures/profiles.js';
import type { Pki } from './issue.js';

export interface Material {
  /** PEM of the CA bundle this role trusts. */
  ca: string;
  /** PEM of the certificate (chain) this role presents. */
  cert: string;
  /** PEM of the private key (PKCS#8). */
  key: string;
  /** Which profile `cert` was issued from. */
  profile: ProfileName | 'none';
}

export function materialFor(pki: Pki, profile: ProfileName): Material {
  const issued = pki.certificates[profile];
  if (!issued) throw new Error(`no certificate was issued for profile '${profile}'`);
  return { ca: pki.certificates['root-ca'].cert, cert: issued.cert, key: issued.key, profile };
}
