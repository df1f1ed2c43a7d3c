/**
 * Issues a run's PKI: every profile of fixtures/profiles.ts, with fresh keys, in one pass.
 * The result is plain data (PEM strings), so vitest can hand it from the main process to workers.
 */
import { generateKeyPair, X509Certificate, type KeyObject } from 'node:crypto';
import type { InstalledPki } from './installed.js';
import { promisify } from 'node:util';
import { makeIdentities, type Identities } from '../../fixtures/identities.js';
import {
  declareProfiles,
  PROFILE_NAMES,
  type IdentityOptions,
  type KeyName,
  type Profile,
  type ProfileName,
} from '../../fixtures/profiles.js';
import { buildCertificate, buildCrl, type Issuer } from './builder.js';

/** The CAs whose CRLs a run issues: every CA a leaf or a CA below it chains through. */
const CRL_ISSUERS = ['root-ca', 'intermediate-ca', 'sub-ca'] as const;

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

/** The key type of a run's PKI: the document's RSA-2048, or ECDSA on P-256. */
export const KEY_TYPES = ['rsa-2048', 'ecdsa-p256'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export interface Pki {
  seed: number;
  keyType: KeyType;
  issuedAt: string;
  identities: Omit<Identities, 'serials'>;
  certificates: Record<ProfileName, IssuedCertificate>;
  /**
   * The CRLs (PEM, one per CA) of every CA that issues leaves (the root, the intermediate and the sub CA),
   * listing the `-revoked` twins: what a role that checks revocation is given (Node's `crl`
   * checks the whole chain, and refuses a chain with a CA whose CRL it lacks).
   */
  crl: string[];
  /** The foreign CA's CRL (it lists nothing): for a server whose client CA was rotated to the foreign CA. */
  foreignCrl: string;
  /** The root CA's CRL, broken: past its nextUpdate, or with its signature altered (it lists the same). */
  brokenRootCrl: { expired: string; badSignature: string };
}

const KEYS: KeyName[] = ['root-ca', 'foreign-ca', 'intermediate-ca', 'sub-ca', 'server', 'client', 'weak-rsa'];

export function keyTypeFromEnv(env: NodeJS.ProcessEnv = process.env): KeyType[] {
  const raw = env.MTLS_KEY?.trim();
  if (!raw) return ['rsa-2048'];
  if (raw === 'all') return [...KEY_TYPES];
  const wanted = raw.split(',').map((k) => k.trim());
  const unknown = wanted.filter((k) => !(KEY_TYPES as readonly string[]).includes(k));
  if (unknown.length)
    throw new Error(
      `MTLS_KEY: unknown key type ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected ` +
        `${KEY_TYPES.join(', ')}, a comma list of them, or all`,
    );
  return [...new Set(wanted)] as KeyType[];
}

function generateKey(name: KeyName, keyType: KeyType) {
  if (name === 'weak-rsa') return generate('rsa', { modulusLength: 1024 });
  return keyType === 'ecdsa-p256' ? generate('ec', { namedCurve: 'P-256' }) : generate('rsa', { modulusLength: 2048 });
}

export type Keys = Record<KeyName, { publicKey: KeyObject; privateKey: KeyObject }>;

/** The run's keys of one type, generated in parallel on libuv's pool; every identity variant shares them. */
export async function generateKeys(keyType: KeyType): Promise<Keys> {
  const pairs = await Promise.all(KEYS.map((name) => generateKey(name, keyType).then((pair) => [name, pair] as const)));
  return Object.fromEntries(pairs) as Keys;
}

export async function issuePki(
  seed: number,
  now = Date.now(),
  keyType: KeyType = 'rsa-2048',
  options: IdentityOptions = {},
): Promise<Pki> {
  return issueCertificates(seed, now, keyType, await generateKeys(keyType), options);
}

/**
 * Every profile's certificate, for these keys. `options` names the identities of the targets
 * under test (a server's names, the identities it admits); the same seed gives the same names
 * and serials in every variant.
 */
export function issueCertificates(
  seed: number,
  now: number,
  keyType: KeyType,
  keys: Keys,
  options: IdentityOptions = {},
  installed?: InstalledPki,
): Pki {
  const identities = makeIdentities(seed);
  const profiles = declareProfiles(identities, options);
  // An installed PKI: its CA issues everything (its foreign twin mimics its subject), its server is the good one.
  if (installed) {
    profiles['root-ca'] = { ...profiles['root-ca'], subject: installed.ca.subject };
    profiles['foreign-ca'] = { ...profiles['foreign-ca'], subject: installed.ca.subject };
  }

  const issuers = new Map<ProfileName, Issuer>();
  const certificates = {} as Record<ProfileName, IssuedCertificate>;
  // Issuers before what they issue: each pass builds the profiles whose issuer is ready.
  const ordered: ProfileName[] = [];
  const issuing = new Set(PROFILE_NAMES.map((n) => profiles[n].issuer));
  while (ordered.length < PROFILE_NAMES.length) {
    const ready = PROFILE_NAMES.filter(
      (n) => !ordered.includes(n) && (profiles[n].issuer === 'self' || ordered.includes(profiles[n].issuer)),
    );
    if (!ready.length)
      throw new Error(
        `profiles ${PROFILE_NAMES.filter((n) => !ordered.includes(n)).join(', ')}: their issuers form a cycle or ` +
          `are missing`,
      );
    ordered.push(...ready);
  }
  for (const name of ordered) {
    const profile = profiles[name];
    if (installed && (name === 'root-ca' || name === 'server')) {
      const mine =
        name === 'root-ca'
          ? { cert: installed.ca.cert, key: installed.ca.key.export({ type: 'pkcs8', format: 'pem' }).toString() }
          : installed.server;
      if (name === 'root-ca')
        issuers.set(name, { subject: installed.ca.subject, key: installed.ca.key, ski: installed.ca.ski ?? '' });
      const x = new X509Certificate(mine.cert);
      certificates[name] = {
        profile: name,
        description: `${profile.description}, installed (MTLS_PKI=${installed.dir})`,
        cert: mine.cert,
        key: mine.key,
        subject: name === 'root-ca' ? installed.ca.subject : installed.server.subject,
        san: profile.san,
        notBefore: new Date(x.validFrom).toISOString(),
        notAfter: new Date(x.validTo).toISOString(),
      };
      continue;
    }
    const pair = keys[profile.key];
    const issuer: Issuer | 'self' = profile.issuer === 'self' ? 'self' : issuers.get(profile.issuer)!;
    const issued = buildCertificate({
      profile,
      serial: identities.serials[PROFILE_NAMES.indexOf(name)]!,
      publicKey: pair.publicKey,
      issuer,
      selfKey: pair.privateKey,
      now,
    });
    if (issuing.has(name)) issuers.set(name, { subject: profile.subject, key: pair.privateKey, ski: issued.ski });
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
  const crl = CRL_ISSUERS.map((ca, i) =>
    buildCrl({
      issuer: issuers.get(ca)!,
      now,
      crlNumber: i + 1,
      revoked: PROFILE_NAMES.filter((n) => profiles[n].revoked && profiles[n].issuer === ca).map(
        (n) => identities.serials[PROFILE_NAMES.indexOf(n)]!,
      ),
    }),
  );
  const foreignCrl = buildCrl({ issuer: issuers.get('foreign-ca')!, now, crlNumber: 1, revoked: [] });
  const rootRevoked = PROFILE_NAMES.filter((n) => profiles[n].revoked && profiles[n].issuer === 'root-ca').map(
    (n) => identities.serials[PROFILE_NAMES.indexOf(n)]!,
  );
  const brokenRootCrl = {
    expired: buildCrl({
      issuer: issuers.get('root-ca')!,
      now,
      crlNumber: 2,
      revoked: rootRevoked,
      validity: 'expired',
    }),
    badSignature: buildCrl({
      issuer: issuers.get('root-ca')!,
      now,
      crlNumber: 3,
      revoked: rootRevoked,
      badSignature: true,
    }),
  };
  const { serials: _serials, ...plainIdentities } = identities;
  return {
    seed,
    keyType,
    issuedAt: new Date(now).toISOString(),
    identities: plainIdentities,
    certificates,
    crl,
    foreignCrl,
    brokenRootCrl,
  };
}
