/** The document's server.py as Node tls options: the good server the self-test configs start from. */
import type { TlsOptions } from 'node:tls';
import type { RoleMaterial } from '../../harness/config/types.js';

export const documentServer = ({ ca, cert, key }: RoleMaterial): TlsOptions => ({
  ca,
  cert,
  key,
  requestCert: true,
  rejectUnauthorized: true,
});
