/**
 * Writes material to disk under the document's file names (generate_certs.sh), for programs
 * that read files: private keys are created with mode 0600.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Pki } from './issue.js';

export const DOCUMENT_FILES = {
  ca: 'ca_cert.pem',
  serverCert: 'server_cert.pem',
  serverKey: 'server_key.pem',
  clientCert: 'client_cert.pem',
  clientKey: 'client_key.pem',
} as const;

export function writePem(file: string, pem: string, secret: boolean): void {
  writeFileSync(file, pem, { mode: secret ? 0o600 : 0o644 });
  // The mode given to writeFileSync only applies to a new file; an existing one keeps its own.
  chmodSync(file, secret ? 0o600 : 0o644);
}

/** The document's five files for the good certificates (and the CA's key, when asked); returns their paths. */
export function writeDocumentSet(pki: Pki, dir: string, options: { caKey?: boolean } = {}): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const c = pki.certificates;
  const files: Record<string, string> = Object.fromEntries(
    Object.entries(DOCUMENT_FILES).map(([k, name]) => [k, path.join(dir, name)]),
  );
  if (options.caKey) {
    files.caKey = path.join(dir, 'ca_key.pem');
    writePem(files.caKey, c['root-ca'].key, true);
  }
  writePem(files.ca!, c['root-ca'].cert, false);
  writePem(files.serverCert!, c.server.cert, false);
  writePem(files.serverKey!, c.server.key, true);
  writePem(files.clientCert!, c.client.cert, false);
  writePem(files.clientKey!, c.client.key, true);
  return files;
}
