/**
 * The one certificate builder: node-forge lays out the TBSCertificate, node:crypto signs it.
 * forge's own JavaScript RSA signing costs ~25 ms a certificate against ~0.6 ms here, and its
 * `cert.sign` silently defaults to SHA-1; neither applies when we sign the TBS ourselves.
 */
import { sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { Eku, KeyUsage, Profile, San, Subject } from '../../fixtures/profiles.js';

const { pki, asn1 } = forge;
// Present in node-forge, missing from its typings.
const getTBSCertificate = (pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate;
const DAY = 86_400_000;

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
  const start = validity === 'expired' ? now - length - DAY
    : validity === 'not-yet-valid' ? now + DAY
    : now - 3_600_000;
  return { notBefore: new Date(start), notAfter: new Date(start + length) };
}

const attrs = (s: Subject) =>
  (['C', 'ST', 'L', 'O', 'CN'] as const).filter((k) => s[k] !== undefined).map((k) => ({ shortName: k, value: s[k] }));

const altName = (san: San) => ('ip' in san ? { type: 7, ip: san.ip } : { type: 2, value: san.dns });

const ekuFlags = (eku: Eku[]) => Object.fromEntries(eku.map((e) => [e, true]));
const kuFlags = (ku: KeyUsage[]) => Object.fromEntries(ku.map((k) => [k, true]));

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
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = args.serial;
  const { notBefore, notAfter } = validityWindow(profile.validity, args.now);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(attrs(profile.subject));
  const ski = cert.generateSubjectKeyIdentifier().getBytes();
  const issuer = args.issuer === 'self' ? { subject: profile.subject, key: args.selfKey, ski } : args.issuer;
  cert.setIssuer(attrs(issuer.subject));

  const extensions: object[] = [
    { name: 'basicConstraints', cA: profile.ca, critical: profile.ca },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuer.ski },
  ];
  if (profile.keyUsage.length) extensions.push({ name: 'keyUsage', critical: profile.ca, ...kuFlags(profile.keyUsage) });
  if (profile.eku.length) extensions.push({ name: 'extKeyUsage', ...ekuFlags(profile.eku) });
  if (profile.san.length) extensions.push({ name: 'subjectAltName', altNames: profile.san.map(altName) });
  cert.setExtensions(extensions);

  cert.siginfo.algorithmOid = pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = pki.oids.sha256WithRSAEncryption!;
  const tbs = getTBSCertificate(cert);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  cert.tbsCertificate = tbs;
  cert.signature = sign('sha256', tbsDer, issuer.key).toString('binary');
  return { pem: pki.certificateToPem(cert), ski, notBefore, notAfter };
}
