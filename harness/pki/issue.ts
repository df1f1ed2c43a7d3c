/**
 * Issues a run's PKI: every profile of fixtures/profiles.ts, with fresh keys, in one pass.
 * The result is plain data (PEM strings), so vitest can hand it from the main process to workers.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { makeIdentities, type Identities } from '../../fixtures/identities.js';
import { declareProfiles, PROFILE_NAMES, type KeyName, type Profile, type ProfileName } from '../../fixtures/profiles.js';
import { buildCertificate, type Issuer } from './builder.js';

const generate = promisify(generateKeyPair);

export interface IssuedCertificate {
  profile: ProfileName;
  description: string;
  cert: string;
  key: string;
  subject: Profile['subject'];
  san: Profile['san'];
  notBefore: string;
  notAfter: string;
}

export interface Pki {
  seed: number;
  issuedAt: string;
  identities: Omit<Identities, 'serials'>;
  certificates: Record<ProfileName, IssuedCertificate>;
}

const KEYS: KeyName[] = ['root-ca', 'foreign-ca', 'server', 'client'];

export async function issuePki(seed: number, now = Date.now()): Promise<Pki> {
  const identities = makeIdentities(seed);
  const profiles = declareProfiles(identities);
  // RSA-2048 keygen dominates issuance; the pairs are generated in parallel on libuv's pool.
  const pairs = await Promise.all(KEYS.map((name) => generate('rsa', { modulusLength: 2048 }).then((pair) => [name, pair] as const)));
  const keys = Object.fromEntries(pairs) as Record<KeyName, { publicKey: KeyObject; privateKey: KeyObject }>;

  const issuers = new Map<ProfileName, Issuer>();
  const certificates = {} as Record<ProfileName, IssuedCertificate>;
  // CAs first, so every leaf finds its issuer already built.
  const ordered = [...PROFILE_NAMES.filter((n) => profiles[n].ca), ...PROFILE_NAMES.filter((n) => !profiles[n].ca)];
  for (const name of ordered) {
    const profile = profiles[name];
    const pair = keys[profile.key];
    let issuer: Issuer | 'self' = 'self';
    if (profile.issuer !== 'self') {
      const found = issuers.get(profile.issuer);
      if (!found) throw new Error(`profile ${name}: issuer ${profile.issuer} is not a CA profile issued before it`);
      issuer = found;
    }
    const issued = buildCertificate({
      profile, serial: identities.serials[ordered.indexOf(name)]!, publicKey: pair.publicKey, issuer, selfKey: pair.privateKey, now,
    });
    if (profile.ca) issuers.set(name, { subject: profile.subject, key: pair.privateKey, ski: issued.ski });
    certificates[name] = {
      profile: name,
      description: profile.description,
      cert: issued.pem,
      key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      subject: profile.subject,
      san: profile.san,
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
    };
  }
  const { serials: _serials, ...plainIdentities } = identities;
  return { seed, issuedAt: new Date(now).toISOString(), identities: plainIdentities, certificates };
}
