/** The PKI: the document's certificates, and twins that differ in exactly their one property. */
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeIdentities } from '../fixtures/identities.js';
import { PROFILE_NAMES, declareProfiles, type ProfileName } from '../fixtures/profiles.js';
import { issuePki, type Pki } from '../harness/pki/issue.js';

let pki: Pki;
const x509 = (name: ProfileName) => new X509Certificate(pki.certificates[name].cert);
const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

/** forge reads any certificate's extensions, but not EC keys: parse the TBS without the key. */
function extensions(name: ProfileName, from: Pki = pki): Record<string, unknown> {
  const der = forge.util.decode64(from.certificates[name].cert.replace(/-----[^-]+-----|\s/g, ''));
  const tbs = (forge.asn1.fromDer(der).value as forge.asn1.Asn1[])[0]!;
  const exts = (
    (tbs.value as forge.asn1.Asn1[]).find(
      (n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && (n.type as number) === 3,
    )?.value as forge.asn1.Asn1[]
  )[0]!;
  const found: Record<string, unknown> = {};
  for (const ext of exts.value as forge.asn1.Asn1[]) {
    const parts = ext.value as forge.asn1.Asn1[];
    const oid = forge.asn1.derToOid(parts[0]!.value as string);
    found[oid] = forge.util.bytesToHex(parts.at(-1)!.value as string);
  }
  return found;
}
const OID = { basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15', nameConstraints: '2.5.29.30' };

/** Everything a verifier could look at, minus serial and signature. */
function facts(name: ProfileName) {
  const c = x509(name);
  const ext = extensions(name);
  const der = Buffer.from(pki.certificates[name].cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return {
    subject: c.subject,
    issuer: c.issuer,
    san: c.subjectAltName,
    eku: c.keyUsage,
    basicConstraints: ext[OID.basicConstraints] ?? 'absent',
    keyUsage: ext[OID.keyUsage],
    nameConstraints: ext[OID.nameConstraints],
    validity: [c.validFrom, c.validTo],
    key: c.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    // The signature algorithm, as the last AlgorithmIdentifier before the signature.
    signatureAlgorithm:
      der.includes(Buffer.from('2a864886f70d010105', 'hex')) || der.includes(Buffer.from('2a8648ce3d0401', 'hex'))
        ? 'sha1'
        : 'sha256',
    signedByRoot: c.verify(x509('root-ca').publicKey),
  };
}

beforeAll(async () => {
  pki = await issuePki(20261125);
});

describe('the document set', () => {
  it(
    'server: SAN IP 127.0.0.1 and DNS localhost, EKU serverAuth, CA:FALSE, RSA-2048, SHA-256, issued by the ' + 'root',
    () => {
      const c = x509('server');
      expect(c.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost, IP Address:0:0:0:0:0:0:0:1');
      expect(c.keyUsage).toEqual([EKU.serverAuth]);
      expect(c.ca).toBe(false);
      expect(c.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(c.checkIssued(x509('root-ca'))).toBe(true);
      expect(c.verify(x509('root-ca').publicKey)).toBe(true);
      expect(c.toLegacyObject().ext_key_usage).toBeDefined();
      expect(c.infoAccess).toBeUndefined();
    },
  );

  it('client: EKU clientAuth and a DNS SAN equal to its faker-made CN', () => {
    const c = x509('client');
    expect(c.keyUsage).toEqual([EKU.clientAuth]);
    expect(c.subject).toContain(`CN=${pki.identities.clientName}`);
    expect(c.subjectAltName).toBe(`DNS:${pki.identities.clientName}`);
  });

  it("signs with SHA-256, never forge's SHA-1 default, and puts the issuer's SKI in the AKI", () => {
    for (const name of PROFILE_NAMES.filter((n) => !n.endsWith('-sha1'))) {
      const text = pki.certificates[name].cert;
      const der = Buffer.from(text.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      // sha256WithRSAEncryption OID 1.2.840.113549.1.1.11; sha1WithRSA would end in .5
      expect(der.includes(Buffer.from('2a864886f70d01010b', 'hex')), name).toBe(true);
      expect(der.includes(Buffer.from('2a864886f70d010105', 'hex')), name).toBe(false);
    }
    const ext = (name: ProfileName, id: string) =>
      forge.pki.certificateFromPem(pki.certificates[name].cert).getExtension(id) as { value: string } | undefined;
    for (const [leaf, issuer] of [
      ['server', 'root-ca'],
      ['client', 'root-ca'],
      ['client-foreign-ca', 'foreign-ca'],
      ['server-self-signed', 'server-self-signed'],
    ] as const) {
      const ski = ext(issuer, 'subjectKeyIdentifier')!.value.slice(2); // OCTET STRING body
      expect(ext(leaf, 'authorityKeyIdentifier')!.value.includes(ski), `${leaf} AKI = ${issuer} SKI`).toBe(true);
    }
    expect(
      ext('server', 'authorityKeyIdentifier')!.value.includes(ext('server', 'subjectKeyIdentifier')!.value.slice(2)),
    ).toBe(false);
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
    ca: ['basicConstraints'],
    pathLen: ['basicConstraints'],
    keyUsage: ['keyUsage'],
    permittedDns: ['nameConstraints'],
    digest: ['signatureAlgorithm'],
    'subject CN': ['subject'],
    'identity (CN and SAN)': ['subject', 'san'],
    'san type': ['san'],
    'identity in CN, no SAN': ['subject', 'san'],
    // Revocation lives in the issuer's CRL: the certificate is its good twin's (a serial of its own, like every
    // profile).
    revocation: [],
  };
  for (const name of PROFILE_NAMES) {
    const twin = profiles[name].twinOf;
    if (!twin) continue;
    it(`${name} (${twin.changes} changed from ${twin.profile})`, () => {
      const good = facts(twin.profile);
      const bad = facts(name);
      const expected = [...changedFacts[twin.changes]!];
      // A self-signed twin has itself as issuer: subject stays, issuer and signature change.
      const differing = (Object.keys(good) as Array<keyof typeof good>).filter(
        (k) => JSON.stringify(good[k]) !== JSON.stringify(bad[k]),
      );
      // The foreign CA's subject equals the root's: its issuer DN is unchanged, only its key.
      if (name === 'foreign-ca') expected.push('signedByRoot');
      if (name.endsWith('foreign-ca') && name !== 'foreign-ca') expected.splice(expected.indexOf('issuer'), 1);
      // An intermediate's twins chain to the root like it; a leaf under an intermediate does not.
      if (twin.profile === 'intermediate-ca')
        expected.splice(expected.indexOf('signedByRoot') >>> 0, expected.includes('signedByRoot') ? 1 : 0);
      expect(differing.sort()).toEqual(expected.sort());
    });
  }
});

/** The subjectPublicKey BIT STRING's bits (less the unused-bits byte), read from the DER by hand. */
function keyBits(spki: Buffer): Buffer {
  const tlv = (at: number) => {
    const first = spki[at + 1]!;
    const lengthBytes = first & 0x80 ? first & 0x7f : 0;
    const length = lengthBytes ? spki.readUIntBE(at + 2, lengthBytes) : first;
    const body = at + 2 + lengthBytes;
    return { body, end: body + length };
  };
  const outer = tlv(0);
  const algorithm = tlv(outer.body);
  const bitString = tlv(algorithm.end);
  return spki.subarray(bitString.body + 1, bitString.end);
}

describe('key identifiers', () => {
  it(
    "every SKI is the SHA-1 of its key's subjectPublicKey (RFC 5280 §4.2.1.2 method 1), and each key has its " + 'own',
    () => {
      const seen = new Map<string, string>();
      for (const name of PROFILE_NAMES) {
        const c = x509(name);
        const ski = extensions(name)['2.5.29.14'] as string;
        const expected = createHash('sha1')
          .update(keyBits(c.publicKey.export({ type: 'spki', format: 'der' })))
          .digest('hex');
        expect(ski, name).toBe(`0414${expected}`);
        const key = c.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
        if (seen.has(ski)) expect(seen.get(ski), `${name} shares its SKI with another key`).toBe(key);
        seen.set(ski, key);
      }
      expect(new Set(seen.values()).size).toBe(7);
    },
  );
});

describe('chains and key types', () => {
  it(
    'leaves under the intermediate and the sub CA verify along their chain, each intermediate twin keeping its ' +
      'subject and key',
    () => {
      expect(x509('server-via-intermediate').verify(x509('intermediate-ca').publicKey)).toBe(true);
      expect(x509('intermediate-ca').verify(x509('root-ca').publicKey)).toBe(true);
      expect(x509('server-via-sub-ca').verify(x509('sub-ca').publicKey)).toBe(true);
      expect(x509('sub-ca').verify(x509('intermediate-ca').publicKey)).toBe(true);
      for (const twin of PROFILE_NAMES.filter((n) => n.startsWith('intermediate-') && n !== 'intermediate-ca')) {
        expect(x509('server-via-intermediate').verify(x509(twin).publicKey), twin).toBe(true);
        expect(x509(twin).subject, twin).toBe(x509('intermediate-ca').subject);
      }
    },
  );

  it(
    'ECDSA P-256: every certificate but the RSA-1024 twins carries a P-256 key and an ecdsa-with-SHA256 ' + 'signature',
    async () => {
      const ec = await issuePki(20261125, Date.now(), 'ecdsa-p256');
      for (const name of PROFILE_NAMES) {
        const c = new X509Certificate(ec.certificates[name].cert);
        const weak = name.endsWith('-weak-key');
        expect(c.publicKey.asymmetricKeyType, name).toBe(weak ? 'rsa' : 'ec');
        if (!weak) expect(c.publicKey.asymmetricKeyDetails?.namedCurve, name).toBe('prime256v1');
        const der = Buffer.from(ec.certificates[name].cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
        // ecdsa-with-SHA256 1.2.840.10045.4.3.2 (ecdsa-with-SHA1 for the SHA-1 twins)
        expect(
          der.includes(Buffer.from(name.endsWith('-sha1') ? '2a8648ce3d0401' : '2a8648ce3d040302', 'hex')),
          name,
        ).toBe(true);
      }
      const leaf = new X509Certificate(ec.certificates.server.cert);
      expect(leaf.verify(new X509Certificate(ec.certificates['root-ca'].cert).publicKey)).toBe(true);
      expect(ec.identities).toEqual(pki.identities);
    },
  );

  it('the SHA-1 twins are signed with SHA-1 and still verify', () => {
    const der = Buffer.from(pki.certificates['server-sha1'].cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(der.includes(Buffer.from('2a864886f70d010105', 'hex'))).toBe(true);
    expect(x509('server-sha1').verify(x509('root-ca').publicKey)).toBe(true);
  });
});

describe('key usage per key type and role', () => {
  // The keyUsage BIT STRING (RFC 5280 §4.2.1.3): bit 0 digitalSignature, 2 keyEncipherment, 5 keyCertSign, 6 cRLSign.
  const usages = (name: ProfileName, from: Pki = pki) => {
    const bits = Buffer.from(String(extensions(name, from)[OID.keyUsage]), 'hex').subarray(3);
    const bit = (n: number) => ((bits[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
    return (
      [
        [0, 'digitalSignature'],
        [2, 'keyEncipherment'],
        [5, 'keyCertSign'],
        [6, 'cRLSign'],
      ] as const
    )
      .filter(([n]) => bit(n))
      .map(([, u]) => u);
  };
  it('RSA: end entities digitalSignature and keyEncipherment; CAs keyCertSign and cRLSign', () => {
    for (const name of ['server', 'client'] as const)
      expect(usages(name), name).toEqual(['digitalSignature', 'keyEncipherment']);
    for (const name of ['root-ca', 'intermediate-ca'] as const)
      expect(usages(name), name).toEqual(['keyCertSign', 'cRLSign']);
  });
  it('ECDSA (RFC 5480 §3): end entities digitalSignature only; CAs keep keyCertSign and cRLSign', async () => {
    const ec = await issuePki(20261125, Date.now(), 'ecdsa-p256');
    for (const name of ['server', 'client', 'server-via-intermediate', 'client-via-intermediate'] as const)
      expect(usages(name, ec), name).toEqual(['digitalSignature']);
    for (const name of ['root-ca', 'intermediate-ca'] as const)
      expect(usages(name, ec), name).toEqual(['keyCertSign', 'cRLSign']);
  });
});

describe('identities of the targets under test', () => {
  it(
    "a server's names join the good server certificate's DNS SANs; admitted identities become the good client " +
      "certificate's SANs and CN",
    async () => {
      const spiffe = 'spiffe://example.test/ns/prod/sa/orders';
      const v = await issuePki(20261125, Date.now(), 'ecdsa-p256', {
        serverNames: ['api.internal'],
        clientSan: [{ uri: spiffe }],
      });
      const san = (name: ProfileName) => new X509Certificate(v.certificates[name].cert).subjectAltName;
      const cn = (name: ProfileName) => v.certificates[name].subject.CN;
      expect(san('server')).toBe('IP Address:127.0.0.1, DNS:localhost, IP Address:0:0:0:0:0:0:0:1, DNS:api.internal');
      expect([san('client'), cn('client')]).toEqual([`URI:${spiffe}`, spiffe]);
      // Every twin of the client carries the admitted identity, so each still differs in its one property.
      expect(san('client-expired')).toBe(`URI:${spiffe}`);
      expect(san('client-other-identity')).toMatch(
        /^URI:spiffe:\/\/example\.test\/ns\/prod\/sa\/(?!orders$)[a-z0-9-]+$/,
      );
      expect(cn('client-other-identity')).toBe(san('client-other-identity')!.slice(4));
      expect([san('client-identity-in-cn-only'), cn('client-identity-in-cn-only')]).toEqual([
        san('client-other-identity'),
        spiffe,
      ]);
      expect([san('client-identity-other-type'), cn('client-identity-other-type')]).toEqual([`DNS:${spiffe}`, spiffe]);
      // The same seed names the same people in every variant.
      expect(v.certificates['root-ca'].subject).toEqual(pki.certificates['root-ca'].subject);
    },
  );
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
