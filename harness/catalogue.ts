/**
 * The property catalogue: every property the suite checks, with a stable id. Specs name these
 * ids; the reporter joins results to them; a spec area that leaves an id untested fails.
 *
 * `role` is the role of the target under test: 'server' properties are checked against the
 * target's server (the harness plays the client), 'client' ones against its client.
 */
export type Area = 'confidentiality' | 'integrity' | 'server-authentication' | 'client-authentication';
export type Role = 'server' | 'client';
export type Level = 'baseline' | 'strict';

export interface Property {
  id: string;
  area: Area;
  role: Role;
  level: Level;
  statement: string;
  source: string;
  /** For a client check: how the client must dial (a program that dials otherwise sits it out). */
  dial?: 'ip' | 'dns';
}

const DOC = 'mtls-tutorial.md';
const p = (id: string, area: Area, role: Role, statement: string, source: string, dial?: 'ip' | 'dns'): Property =>
  ({ id, area, role, level: 'baseline', statement, source, ...(dial ? { dial } : {}) });

export const CATALOGUE: readonly Property[] = [
  p('conf.wire-encrypted.server', 'confidentiality', 'server',
    'Application data to and from the server never appears in clear on the wire; every byte on the wire is inside a TLS record.',
    `${DOC} "Confidentiality: Data is encrypted"`),
  p('conf.wire-encrypted.client', 'confidentiality', 'client',
    'Application data to and from the client never appears in clear on the wire; every byte on the wire is inside a TLS record.',
    `${DOC} "Confidentiality: Data is encrypted"`),
  p('conf.aead-fs.server', 'confidentiality', 'server',
    'The server negotiates TLS 1.2 or later with an AEAD cipher and a forward-secret key exchange.',
    `${DOC} "Confidentiality"; RFC 9325 §4.1, §4.2`),
  p('conf.aead-fs.client', 'confidentiality', 'client',
    'The client negotiates TLS 1.2 or later with an AEAD cipher and a forward-secret key exchange.',
    `${DOC} "Confidentiality"; RFC 9325 §4.1, §4.2`),

  p('integ.app-tamper.server', 'integrity', 'server',
    'A flipped bit in an application-data record from the client makes the server abort; the altered bytes never reach its application.',
    `${DOC} "Integrity: Data is not tampered"; RFC 8446 §5.2, RFC 5246 §6.2.3`),
  p('integ.app-tamper.client', 'integrity', 'client',
    'A flipped bit in an application-data record from the server makes the client abort; the altered bytes never reach its application.',
    `${DOC} "Integrity: Data is not tampered"; RFC 8446 §5.2, RFC 5246 §6.2.3`),
  p('integ.handshake-tamper.server', 'integrity', 'server',
    'An altered ClientHello makes the handshake with the server fail; no application data crosses.',
    `${DOC} "Integrity"; RFC 8446 §4.4.4, RFC 5246 §7.4.9`),
  p('integ.handshake-tamper.client', 'integrity', 'client',
    'An altered ServerHello makes the handshake of the client fail; no application data crosses.',
    `${DOC} "Integrity"; RFC 8446 §4.4.4, RFC 5246 §7.4.9`),

  p('sauth.accept-good', 'server-authentication', 'client',
    'The client accepts the server certificate issued by its CA and sees the server identity.',
    `${DOC} client.py (cafile=ca_cert.pem, server_hostname)`),
  p('sauth.reject-foreign-ca', 'server-authentication', 'client',
    'The client rejects a server certificate with the same subject and SANs issued by a CA it does not trust.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('sauth.reject-self-signed', 'server-authentication', 'client',
    'The client rejects a self-signed server certificate with the same subject and SANs.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('sauth.reject-expired', 'server-authentication', 'client',
    'The client rejects an expired server certificate.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('sauth.reject-not-yet-valid', 'server-authentication', 'client',
    'The client rejects a server certificate that is not yet valid.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('sauth.reject-dns-mismatch', 'server-authentication', 'client',
    'Dialing a DNS name, the client rejects a server certificate whose DNS SAN names another host.',
    `${DOC} server_hostname; RFC 6125 §6.4, RFC 9110 §4.3.4`, 'dns'),
  p('sauth.reject-dns-only-for-ip', 'server-authentication', 'client',
    'Dialing an IP address, the client rejects a server certificate without an IP SAN for it (DNS SAN only).',
    `${DOC} server_hostname="127.0.0.1"; RFC 6125 §1.7.2, RFC 5280 §4.2.1.6`, 'ip'),
  p('sauth.reject-eku-client-only', 'server-authentication', 'client',
    'The client rejects a server certificate whose extended key usage allows clientAuth only.',
    `${DOC} server_ext.cnf extendedKeyUsage=serverAuth; RFC 5280 §4.2.1.12`),

  p('cauth.accept-good', 'client-authentication', 'server',
    'The server accepts the client certificate issued by its CA and hands the verified client identity to the application.',
    `${DOC} server.py (CERT_REQUIRED, getpeercert)`),
  p('cauth.reject-none', 'client-authentication', 'server',
    'The server rejects a client that presents no certificate; no application data from it is processed.',
    `${DOC} server.py verify_mode = ssl.CERT_REQUIRED`),
  p('cauth.reject-foreign-ca', 'client-authentication', 'server',
    'The server rejects a client certificate with the same subject and SANs issued by a CA it does not trust.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('cauth.reject-self-signed', 'client-authentication', 'server',
    'The server rejects a self-signed client certificate with the same subject and SANs.',
    `${DOC} "Authentication"; RFC 5280 §6.1`),
  p('cauth.reject-expired', 'client-authentication', 'server',
    'The server rejects an expired client certificate.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('cauth.reject-not-yet-valid', 'client-authentication', 'server',
    'The server rejects a client certificate that is not yet valid.',
    `${DOC} "Authentication"; RFC 5280 §4.1.2.5, §6.1.3`),
  p('cauth.reject-eku-server-only', 'client-authentication', 'server',
    'The server rejects a client certificate whose extended key usage allows serverAuth only.',
    `${DOC} client_ext.cnf extendedKeyUsage=clientAuth; RFC 5280 §4.2.1.12`),
];

const byId = new Map(CATALOGUE.map((prop) => [prop.id, prop]));

export function property(id: string): Property {
  const found = byId.get(id);
  if (!found) throw new Error(`'${id}' is not in the property catalogue (harness/catalogue.ts)`);
  return found;
}
