/**
 * `npm run certs -- <dir>`: the replacement for the document's generate_certs.sh. Issues a fresh
 * PKI and writes the document's file set to <dir>, plus the CA's key (as generate_certs.sh leaves
 * ca_key.pem), so more certificates can be issued from it. MTLS_SEED replays names, serials and
 * SANs; keys are always fresh (a private key anyone could regenerate from a seed would be no key).
 * MTLS_KEY=ecdsa-p256 for ECDSA keys.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSan, sanText, type San } from '../../fixtures/profiles.js';
import { seedFromEnv } from '../../fixtures/identities.js';
import { issuePki, keyTypeFromEnv } from '../pki/issue.js';
import { DOCUMENT_FILES, writeDocumentSet } from '../pki/write.js';

const usage = (command: string) => `usage: ${command} [--force] [--san DNS:name,IP:address,...] <dir>
  writes ca_cert.pem, ca_key.pem, server_cert.pem, server_key.pem, client_cert.pem, client_key.pem to <dir> (keys 0600)
  --san    the server certificate's names (default IP:127.0.0.1,DNS:localhost,IP:::1); its CN is the first
  --force  overwrite files that exist
  MTLS_KEY=ecdsa-p256 for ECDSA keys; MTLS_SEED=<n> replays names, serials and SANs (keys are always fresh)
`;

class UsageError extends Error {}

export function parseSans(text: string): San[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const san = parseSan(entry);
      if (!san) throw new UsageError(`--san ${text}: '${entry}' is not DNS:<name>, IP:<address> or URI:<uri>`);
      if ('ip' in san && !net.isIP(san.ip)) throw new UsageError(`--san ${text}: '${san.ip}' is not an IP address`);
      if (
        'dns' in san &&
        !/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(san.dns)
      )
        throw new UsageError(`--san ${text}: '${san.dns}' is not a DNS name`);
      return san;
    });
}

async function issue(argv: string[], command: string): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage(command));
    return 0;
  }
  let force = false;
  let san: San[] | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--force') force = true;
    else if (arg === '--san' || arg.startsWith('--san=')) {
      const value = arg === '--san' ? argv[++i] : arg.slice('--san='.length);
      if (!value) throw new UsageError('--san needs a value: DNS:<name>,IP:<address>,...');
      san = parseSans(value);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else rest.push(arg);
  }
  if (rest.length !== 1) throw new UsageError(rest.length ? `one folder, got ${rest.join(' ')}` : 'no folder given');
  const dir = path.resolve(rest[0]!);
  const seed = seedFromEnv();
  const keyTypes = keyTypeFromEnv();
  if (keyTypes.length !== 1) throw new UsageError(`MTLS_KEY: one key type at a time here, got ${keyTypes.join(', ')}`);
  const names = [...Object.values(DOCUMENT_FILES), 'ca_key.pem'];
  const existing = names.filter((f) => existsSync(path.join(dir, f)));
  if (existing.length && !force)
    throw new UsageError(
      `${path.join(dir, existing[0]!)} exists (and ${existing.length - 1} more of the set): add --force to overwrite`,
    );
  const pki = await issuePki(seed, Date.now(), keyTypes[0], { serverSan: san });
  const files = writeDocumentSet(pki, dir, { caKey: true });
  const shown = pki.certificates.server.san.map(sanText).join(',');
  process.stdout.write(
    `PKI seed ${seed}, ${pki.keyType}; server ${pki.certificates.server.subject.CN} (${shown}), client ` +
      `${pki.certificates.client.subject.CN}\n`,
  );
  for (const f of Object.values(files)) process.stdout.write(`${f}\n`);
  return 0;
}

/** `<command> [--force] [--san ...] <dir>`: resolves with the exit code, having printed what went wrong. */
export function certs(argv: string[], command: string): Promise<number> {
  return issue(argv, command).catch((err: Error) => {
    // Bad input (options, MTLS_* variables, files in the way) is exit 2, one line; anything else is a fault.
    const bad = err instanceof UsageError || /^MTLS_/.test(err.message);
    const withUsage = err instanceof UsageError && /no folder|one folder|unknown option/.test(err.message);
    process.stderr.write(`certs: ${err.message}\n${withUsage ? usage(command) : ''}`);
    return bad ? 2 : 1;
  });
}

// `npm run certs -- <dir>` runs this file itself.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  void certs(process.argv.slice(2), 'npm run certs --').then((code) => process.exit(code));
