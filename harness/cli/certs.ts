/**
 * `npm run certs -- <dir>`: the replacement for the document's generate_certs.sh. Issues a fresh
 * PKI (MTLS_SEED replays its names and serials; MTLS_KEY=ecdsa-p256 for ECDSA keys) and writes the
 * document's file set to <dir>.
 */
import path from 'node:path';
import { seedFromEnv } from '../../fixtures/identities.js';
import { issuePki, keyTypeFromEnv } from '../pki/issue.js';
import { writeDocumentSet } from '../pki/write.js';

async function main(argv: string[]): Promise<number> {
  const [dir, ...extra] = argv;
  if (!dir || extra.length || dir.startsWith('-')) {
    process.stderr.write('usage: npm run certs -- <dir>\n  writes ca_cert.pem, server_cert.pem, server_key.pem, client_cert.pem, client_key.pem to <dir>\n');
    return 2;
  }
  const seed = seedFromEnv();
  const keyTypes = keyTypeFromEnv();
  if (keyTypes.length !== 1) throw new Error(`MTLS_KEY: one key type at a time here, got ${keyTypes.join(', ')}`);
  const pki = await issuePki(seed, Date.now(), keyTypes[0]);
  const files = writeDocumentSet(pki, path.resolve(dir));
  process.stdout.write(`PKI seed ${seed}, ${pki.keyType}; server ${pki.certificates.server.subject.CN}, client ${pki.certificates.client.subject.CN}\n`);
  for (const f of Object.values(files)) process.stdout.write(`${f}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: Error) => {
  process.stderr.write(`certs: ${err.message}\n`);
  process.exit(1);
});
