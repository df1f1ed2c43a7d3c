/**
 * Material: what one role of one check is given. Trust is always the run's root CA: the
 * adversarial part of a check lives in the certificate a peer presents, never in what it trusts.
 */
import type { IntermediateProfile, ProfileName } from '../../fixtures/profiles.js';
import type { Pki } from './issue.js';

export interface Material {
  /** PEM of the CA bundle this role trusts. */
  ca: string;
  /** PEM of the certificate this role presents, followed by the intermediates it sends. */
  cert: string;
  /** PEM of the intermediates alone (empty when the leaf comes alone). */
  chain: string;
  /** PEM of the private key (PKCS#8). */
  key: string;
  /** The CRLs of the run's CAs, one PEM each (see Pki.crl). */
  crl: string[];
  /** Which profile `cert` was issued from. */
  profile: ProfileName | 'none';
}

export function materialFor(pki: Pki, profile: ProfileName, chain: IntermediateProfile[] = []): Material {
  const pem = (name: ProfileName) => {
    const issued = pki.certificates[name];
    if (!issued) throw new Error(`no certificate was issued for profile '${name}'`);
    return issued;
  };
  const intermediates = chain.map((name) => pem(name).cert).join('');
  return {
    ca: pki.certificates['root-ca'].cert,
    cert: pem(profile).cert + intermediates,
    chain: intermediates,
    key: pem(profile).key,
    crl: pki.crl,
    profile,
  };
}
