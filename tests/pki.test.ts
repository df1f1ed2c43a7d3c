/** The PKI: the document's certificates, and twins that differ in exactly their one property. */
import { X509Certificate, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeIdentities } from '../fixtures/identities.js';
import { PROFILE_NAMES, declareProfiles, type ProfileName } from '../fixtures/profiles.js';
import { issuePki, type Pki } from '../harness/pki/issue.js';

let pki: Pki;
const x509 = (name: ProfileName) => new X509Certificate(pki.certificates[name].cert);
const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

/** Everything a verifier could look at, minus serial and signature. */
function facts(name: ProfileName) {
  const c = x509(name);
  return {
    subject: c.subject, issuer: c.issuer, san: c.subjectAltName, eku: c.keyUsage, ca: c.ca,
    validity: [c.validFrom, c.validTo], key: c.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    signedByRoot: c.verify(x509('root-ca').publicKey),
  };
}

beforeAll(async () => { pki = await issuePki(20261125); });

describe('the document set', () => {
  it('server: SAN IP 127.0.0.1 and DNS localhost, EKU serverAuth, CA:FALSE, RSA-2048, SHA-256, issued by the root', () => {
    const c = x509('server');
    expect(c.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(c.keyUsage).toEqual([EKU.serverAuth]);
    expect(c.ca).toBe(false);
    expect(c.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(c.checkIssued(x509('root-ca'))).toBe(true);
    expect(c.verify(x509('root-ca').publicKey)).toBe(true);
    expect(c.toLegacyObject().ext_key_usage).toBeDefined();
    expect(c.infoAccess).toBeUndefined();
  });

  it('client: EKU clientAuth and a DNS SAN equal to its faker-made CN', () => {
    const c = x509('client');
    expect(c.keyUsage).toEqual([EKU.clientAuth]);
    expect(c.subject).toContain(`CN=${pki.identities.clientName}`);
    expect(c.subjectAltName).toBe(`DNS:${pki.identities.clientName}`);
  });

  it('signs with SHA-256, never forge\'s SHA-1 default, and puts the issuer\'s SKI in the AKI', () => {
    for (const name of PROFILE_NAMES) {
      const text = pki.certificates[name].cert;
      const der = Buffer.from(text.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      // sha256WithRSAEncryption OID 1.2.840.113549.1.1.11; sha1WithRSA would end in .5
      expect(der.includes(Buffer.from('2a864886f70d01010b', 'hex')), name).toBe(true);
      expect(der.includes(Buffer.from('2a864886f70d010105', 'hex')), name).toBe(false);
    }
    const ext = (name: ProfileName, id: string) => forge.pki.certificateFromPem(pki.certificates[name].cert).getExtension(id) as { value: string } | undefined;
    for (const [leaf, issuer] of [['server', 'root-ca'], ['client', 'root-ca'], ['client-foreign-ca', 'foreign-ca'], ['server-self-signed', 'server-self-signed']] as const) {
      const ski = ext(issuer, 'subjectKeyIdentifier')!.value.slice(2); // OCTET STRING body
      expect(ext(leaf, 'authorityKeyIdentifier')!.value.includes(ski), `${leaf} AKI = ${issuer} SKI`).toBe(true);
    }
    expect(ext('server', 'authorityKeyIdentifier')!.value.includes(ext('server', 'subjectKeyIdentifier')!.value.slice(2))).toBe(false);
  });

  it('private keys match their certificates', () => {
    for (const name of PROFILE_NAMES) {
      const pub = createPublicKey(pki.certificates[name].key).export({ type: 'spki', format: 'der' });
      expect(x509(name).publicKey.export({ type: 'spki', format: 'der' }).equals(pub), name).toBe(true);
    }
  });
});

describe('every adversarial twin differs from its good twin in exactly the declared property', () => {
  const profiles = declareProfiles(makeIdentities(20261125));
  const changedFacts: Record<string, Array<keyof ReturnType<typeof facts>>> = {
    issuer: ['issuer', 'signedByRoot'],
    validity: ['validity'],
    san: ['san'],
    eku: ['eku'],
    key: ['key'],
  };
  for (const name of PROFILE_NAMES) {
    const twin = profiles[name].twinOf;
    if (!twin) continue;
    it(`${name} (${twin.changes} changed from ${twin.profile})`, () => {
      const good = facts(twin.profile);
      const bad = facts(name);
      const expected = [...changedFacts[twin.changes]!];
      // A self-signed twin has itself as issuer: subject stays, issuer and signature change.
      const differing = (Object.keys(good) as Array<keyof typeof good>).filter((k) => JSON.stringify(good[k]) !== JSON.stringify(bad[k]));
      // The foreign CA's subject equals the root's: its issuer DN is unchanged, only its key.
      if (name === 'foreign-ca') expected.push('signedByRoot');
      if (name.endsWith('foreign-ca') && name !== 'foreign-ca') expected.splice(expected.indexOf('issuer'), 1);
      expect(differing.sort()).toEqual(expected.sort());
    });
  }
});

describe('MTLS_SEED', () => {
  it('replays the same names and serials; another seed gives others', async () => {
    const a = makeIdentities(7);
    const b = makeIdentities(7);
    expect(a).toEqual(b);
    expect(makeIdentities(8).clientName).not.toBe(a.clientName);
    const again = await issuePki(20261125);
    expect(again.identities).toEqual(pki.identities);
    expect(x509('server').serialNumber).toBe(new X509Certificate(again.certificates.server.cert).serialNumber);
  });

  it('serials are positive 16-byte integers', () => {
    for (const name of PROFILE_NAMES) expect(x509(name).serialNumber, name).toMatch(/^[0-7][0-9A-F]{31}$/);
  });
});
