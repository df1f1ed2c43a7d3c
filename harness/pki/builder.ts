/**
 * The one certificate builder: node-forge lays out the TBSCertificate, node:crypto signs it.
 * forge's own JavaScript RSA signing costs ~25 ms a certificate against ~0.6 ms here, and its
 * `cert.sign` silently defaults to SHA-1; neither applies when we sign the TBS ourselves.
 *
 * forge only knows RSA keys. The TBS is laid out around a placeholder key and the real
 * SubjectPublicKeyInfo (RSA or EC, straight from node:crypto) is put in its place, so the same
 * builder issues RSA and ECDSA certificates; the signature algorithm follows the issuer's key.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { Eku, KeyUsage, Profile, San, Subject } from '../../fixtures/profiles.js';

const { pki, asn1 } = forge;
// Present in node-forge, missing from its typings.
const getTBSCertificate = (
  pki as unknown as { getTBSCertificate: (this: void, c: forge.pki.Certificate) => forge.asn1.Asn1 }
).getTBSCertificate;
const DAY = 86_400_000;
/** TBSCertificate fields, by position (RFC 5280 §4.1, version present). */
const TBS = { signature: 2, subjectPublicKeyInfo: 6 } as const;

const SIGNATURE_OIDS = {
  rsa: { sha256: '1.2.840.113549.1.1.11', sha1: '1.2.840.113549.1.1.5' },
  ec: { sha256: '1.2.840.10045.4.3.2', sha1: '1.2.840.10045.4.1' },
} as const;

export interface Issuer {
  subject: Subject;
  key: KeyObject;
  /** Subject key identifier of the issuer, as a binary string: the leaf's AKI. */
  ski: string;
}

export interface Issued {
  pem: string;
  ski: string;
  notBefore: Date;
  notAfter: Date;
}

export function validityWindow(validity: Profile['validity'], now: number): { notBefore: Date; notAfter: Date } {
  // Same length in every case, shifted: an expired twin differs only in where its window sits.
  const length = 365 * DAY;
  const start =
    validity === 'expired' ? now - length - DAY : validity === 'not-yet-valid' ? now + DAY : now - 3_600_000;
  return { notBefore: new Date(start), notAfter: new Date(start + length) };
}

const attrs = (s: Subject) =>
  (['C', 'ST', 'L', 'O', 'CN'] as const).filter((k) => s[k] !== undefined).map((k) => ({ shortName: k, value: s[k] }));

const altName = (san: San) =>
  'ip' in san ? { type: 7, ip: san.ip } : 'uri' in san ? { type: 6, value: san.uri } : { type: 2, value: san.dns };

const ekuFlags = (eku: Eku[]) => Object.fromEntries(eku.map((e) => [e, true]));
const kuFlags = (ku: KeyUsage[]) => Object.fromEntries(ku.map((k) => [k, true]));

const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// BIT STRINGs stay bytes: forge would otherwise parse an RSA key's bits as nested ASN.1.
const fromDer = (bytes: Buffer) =>
  asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')), { decodeBitStrings: false } as never);
const { UNIVERSAL, CONTEXT_SPECIFIC } = asn1.Class;

/** NameConstraints with permitted dNSName subtrees (RFC 5280 §4.2.1.10). */
/**
 * Permitted subtrees for the domains: as dNSName, and as the host of a uniformResourceIdentifier
 * (RFC 5280 §4.2.1.10), so a leaf whose identity is a URI (a SPIFFE ID) is outside them too.
 * A constraint binds only names of its own type: DNS-only leaves are untouched by the URI ones.
 */
function nameConstraints(permittedDns: string[]): string {
  const subtree = (tag: number, name: string) =>
    asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(CONTEXT_SPECIFIC, tag, false, name)]);
  const subtrees = [...permittedDns.map((name) => subtree(2, name)), ...permittedDns.map((name) => subtree(6, name))];
  return asn1
    .toDer(asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(CONTEXT_SPECIFIC, 0, true, subtrees)]))
    .getBytes();
}

function algorithmIdentifier(oid: string, key: KeyObject): forge.asn1.Asn1 {
  const parts = [asn1.create(UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())];
  // RSA signature algorithms carry an explicit NULL; ECDSA ones carry nothing (RFC 5758 §3.2).
  if (key.asymmetricKeyType === 'rsa') parts.push(asn1.create(UNIVERSAL, asn1.Type.NULL, false, ''));
  return asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, parts);
}

// A stand-in for forge to lay out around: replaced by the real SubjectPublicKeyInfo.
const PLACEHOLDER_KEY = pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('3'));

/**
 * Issue the certificate `profile` describes for `publicKey`, signed by `issuer` (or by
 * `selfKey` when the profile is self-signed). Returns PEM plus the SKI its children need.
 */
export function buildCertificate(args: {
  profile: Profile;
  serial: string;
  publicKey: KeyObject;
  issuer: Issuer | 'self';
  selfKey: KeyObject;
  now: number;
}): Issued {
  const { profile, publicKey } = args;
  const spki = fromDer(publicKey.export({ type: 'spki', format: 'der' }));
  // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING (less its unused-bits byte).
  const bits = (spki.value as forge.asn1.Asn1[])[1]!.value;
  if (typeof bits !== 'string' || bits.length < 2)
    throw new Error('builder: cannot read the subjectPublicKey bits of the key');
  const keyBits = Buffer.from(bits, 'binary').subarray(1);
  const ski = createHash('sha1').update(keyBits).digest().toString('binary');

  const cert = pki.createCertificate();
  cert.publicKey = PLACEHOLDER_KEY;
  cert.serialNumber = args.serial;
  const { notBefore, notAfter } = validityWindow(profile.validity, args.now);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(attrs(profile.subject));
  const issuer = args.issuer === 'self' ? { subject: profile.subject, key: args.selfKey, ski } : args.issuer;
  cert.setIssuer(attrs(issuer.subject));

  const isCa = profile.ca === true;
  const extensions: object[] = [];
  if (profile.ca !== 'absent') {
    extensions.push({
      name: 'basicConstraints',
      cA: isCa,
      critical: isCa,
      ...(profile.pathLen !== undefined ? { pathLenConstraint: profile.pathLen } : {}),
    });
  }
  extensions.push(
    { name: 'subjectKeyIdentifier', value: asn1.create(UNIVERSAL, asn1.Type.OCTETSTRING, false, ski) },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuer.ski },
  );
  // RFC 5480 §3: keyEncipherment is not allowed with an EC key (ECDSA end entities sign, never
  // encipher); the profile's usages are the RSA ones, so they are narrowed to the key in hand.
  const keyUsage =
    publicKey.asymmetricKeyType === 'ec' ? profile.keyUsage.filter((u) => u !== 'keyEncipherment') : profile.keyUsage;
  if (keyUsage.length) extensions.push({ name: 'keyUsage', critical: isCa, ...kuFlags(keyUsage) });
  if (profile.eku.length) extensions.push({ name: 'extKeyUsage', ...ekuFlags(profile.eku) });
  if (profile.san.length) extensions.push({ name: 'subjectAltName', altNames: profile.san.map(altName) });
  if (profile.permittedDns)
    extensions.push({
      name: 'nameConstraints',
      id: '2.5.29.30',
      critical: true,
      value: nameConstraints(profile.permittedDns),
    });
  cert.setExtensions(extensions);

  const digest = profile.digest ?? 'sha256';
  const signatureOid = SIGNATURE_OIDS[issuer.key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa'][digest];
  const signatureAlgorithm = () => algorithmIdentifier(signatureOid, issuer.key);
  // forge lays out its own idea of the algorithm; it is replaced just below.
  cert.siginfo.algorithmOid = SIGNATURE_OIDS.rsa.sha256;
  const tbs = getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  fields[TBS.signature] = signatureAlgorithm();
  fields[TBS.subjectPublicKeyInfo] = spki;
  const signature = sign(digest, der(tbs), issuer.key);
  const certificate = asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    signatureAlgorithm(),
    asn1.create(UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`),
  ]);
  const base64 = der(certificate).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n');
  const pem = `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`;
  return { pem, ski, notBefore, notAfter };
}

/**
 * A CRL (RFC 5280 §5) of `issuer`, listing `revoked` serials (hex), laid out with forge's ASN.1
 * and signed with node:crypto like the certificates (forge has no CRL support). The issuer name is
 * encoded exactly as in the certificates the issuer signed; the AKI names its key. `validity`:
 * 'expired' gives a nextUpdate in the past; `badSignature` flips a bit of the signature.
 */
export function buildCrl(args: {
  issuer: Issuer;
  revoked: string[];
  now: number;
  crlNumber: number;
  validity?: 'current' | 'expired';
  badSignature?: boolean;
}): string {
  const { issuer, now } = args;
  const cert = pki.createCertificate();
  cert.publicKey = PLACEHOLDER_KEY;
  cert.serialNumber = '01';
  cert.siginfo.algorithmOid = SIGNATURE_OIDS.rsa.sha256;
  cert.setIssuer(attrs(issuer.subject));
  cert.setSubject(attrs(issuer.subject));
  const issuerName = (getTBSCertificate(cert).value as forge.asn1.Asn1[])[3]!;
  const time = (d: Date) => asn1.create(UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d));
  const expired = args.validity === 'expired';
  const thisUpdate = new Date(now - (expired ? 10 : 1) * DAY);
  const nextUpdate = new Date(now + (expired ? -2 : 30) * DAY);
  const digest = 'sha256';
  const signatureAlgorithm = () =>
    algorithmIdentifier(SIGNATURE_OIDS[issuer.key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa'][digest], issuer.key);
  const integer = (hex: string) =>
    asn1.create(UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex.length % 2 ? `0${hex}` : hex));
  const extension = (oid: string, value: forge.asn1.Asn1) =>
    asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      asn1.create(UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes()),
    ]);
  const fields: forge.asn1.Asn1[] = [
    asn1.create(UNIVERSAL, asn1.Type.INTEGER, false, '\x01'), // v2
    signatureAlgorithm(),
    issuerName,
    time(thisUpdate),
    time(nextUpdate),
  ];
  if (args.revoked.length) {
    fields.push(
      asn1.create(
        UNIVERSAL,
        asn1.Type.SEQUENCE,
        true,
        args.revoked.map((serial) =>
          asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [integer(serial), time(thisUpdate)]),
        ),
      ),
    );
  }
  fields.push(
    asn1.create(CONTEXT_SPECIFIC, 0, true, [
      asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [
        // authorityKeyIdentifier: [0] keyIdentifier; cRLNumber.
        extension(
          '2.5.29.35',
          asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(CONTEXT_SPECIFIC, 0, false, issuer.ski)]),
        ),
        extension('2.5.29.20', integer(args.crlNumber.toString(16))),
      ]),
    ]),
  );
  const tbs = asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, fields);
  const signature = sign(digest, der(tbs), issuer.key);
  if (args.badSignature) signature[signature.length >> 1]! ^= 0x01;
  const crl = asn1.create(UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    signatureAlgorithm(),
    asn1.create(UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`),
  ]);
  return (
    `-----BEGIN X509 ` +
    `CRL-----\n${der(crl).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END X509 CRL-----\n`
  );
}
