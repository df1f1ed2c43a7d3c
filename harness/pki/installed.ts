/**
 * A PKI installed in a service the harness does not start (MTLS_PKI=<dir>, written by
 * `npm run certs -- <dir>`): its CA (certificate and key) and its server identity. The run issues
 * every other certificate (good client, adversarial twins, chains) fresh from that CA's key.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { Subject } from '../../fixtures/profiles.js';

export interface InstalledPki {
  dir: string;
  ca: { cert: string; key: KeyObject; subject: Subject; ski?: string };
  server: { cert: string; key: string; subject: Subject };
}

const FIELDS: Record<string, keyof Subject> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.3': 'CN',
};

/**
 * A DN the builder can write again, attribute for attribute, in the certificate's order: read from
 * the DER itself (a printed DN escapes commas and quotes, and an issuer name must match exactly).
 */
function subjectOf(pem: string, file: string): Subject {
  const der = forge.util.decode64(pem.replace(/-----[^-]+-----|\s/g, ''));
  const fields = (forge.asn1.fromDer(der).value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, ...
  const name = fields[fields[0]!.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 5 : 4]!;
  const subject: Record<string, string> = {};
  for (const rdn of name.value as forge.asn1.Asn1[]) {
    for (const atv of rdn.value as forge.asn1.Asn1[]) {
      const [oid, value] = atv.value as forge.asn1.Asn1[];
      const key = FIELDS[forge.asn1.derToOid(oid!.value as string)];
      if (!key)
        throw new Error(
          `${file}: its subject has an attribute (${forge.asn1.derToOid(oid!.value as string)}) this suite cannot ` +
            `write into the certificates it issues (C, ST, L, O, CN only)`,
        );
      subject[key] = forge.util.decodeUtf8(value!.value as string);
    }
  }
  return subject;
}

/** The subjectKeyIdentifier the CA carries, so what it issues names it exactly (AKI). */
function skiOf(pem: string): string | undefined {
  const der = forge.util.decode64(pem.replace(/-----[^-]+-----|\s/g, ''));
  const tbs = (forge.asn1.fromDer(der).value as forge.asn1.Asn1[])[0]!;
  const wrapper = (tbs.value as forge.asn1.Asn1[]).find(
    (n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && (n.type as number) === 3,
  );
  for (const ext of ((wrapper?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value as forge.asn1.Asn1[] | undefined) ??
    []) {
    const parts = ext.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(parts[0]!.value as string) !== '2.5.29.14') continue;
    const inner = forge.asn1.fromDer(parts.at(-1)!.value as string);
    return inner.value as string;
  }
  return undefined;
}

export function loadInstalledPki(dir: string): InstalledPki {
  const file = (name: string) => {
    const f = path.join(dir, name);
    if (!existsSync(f)) throw new Error(`MTLS_PKI=${dir}: no ${name} (npm run certs -- <dir> writes the whole set)`);
    return readFileSync(f, 'utf8');
  };
  const caCert = file('ca_cert.pem');
  const caKey = file('ca_key.pem');
  const serverCert = file('server_cert.pem');
  const serverKey = file('server_key.pem');
  const ca = new X509Certificate(caCert);
  const key = createPrivateKey(caKey);
  if (!ca.checkPrivateKey(key)) throw new Error(`MTLS_PKI=${dir}: ca_key.pem is not the key of ca_cert.pem`);
  const server = new X509Certificate(serverCert);
  if (!server.verify(ca.publicKey)) throw new Error(`MTLS_PKI=${dir}: server_cert.pem is not issued by ca_cert.pem`);
  return {
    dir,
    ca: { cert: caCert, key, subject: subjectOf(caCert, path.join(dir, 'ca_cert.pem')), ski: skiOf(caCert) },
    server: { cert: serverCert, key: serverKey, subject: subjectOf(serverCert, path.join(dir, 'server_cert.pem')) },
  };
}
