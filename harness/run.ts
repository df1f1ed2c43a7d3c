/**
 * What one `vitest` process shares: its PKI and its loaded config. vitest loads the config
 * file, the global setup (once per project) and the reporter as separate module instances, so
 * the shared promises live on globalThis. Issuance starts when the config file is loaded, which
 * overlaps RSA key generation with vitest's own start-up.
 */
import { seedFromEnv } from '../fixtures/identities.js';
import { ConfigError, configPath, loadConfig } from './config/load.js';
import { profileFromEnv } from './spec/profile.js';
import { specFilesFromEnv, type SpecFiles } from './config/projects.js';
import type { MtlsConfig } from './config/types.js';
import { generateKeys, issueCertificates, keyTypeFromEnv, type KeyType, type Keys, type Pki } from './pki/issue.js';
import type { IdentityOptions } from '../fixtures/profiles.js';
import { ensureReaper } from './reaper.js';
import { loadInstalledPki } from './pki/installed.js';
import path from 'node:path';

const KEY = Symbol.for('mtls-conformance.run');
export interface RunState {
  seed: number;
  /** The key types this run issues a PKI for (MTLS_KEY), each its own set of vitest projects. */
  keys: KeyType[];
  /** The document's PKI per key type (no target's names or admitted identities). */
  pkis: Promise<Record<KeyType, Pki>>;
  /**
   * The PKI of a target that names its server or the identities it admits: the same keys, names
   * and serials, its good server and client certificates carrying those names. One per variant.
   */
  pkiFor(options: IdentityOptions, key: KeyType): Promise<Pki>;
  /** How each project's checks are split into vitest files (MTLS_FILES). */
  specFiles: SpecFiles;
  configFile: string;
  config: Promise<MtlsConfig>;
  announced?: boolean;
  /** Good exchanges that failed (spec/exchanges.ts), printed once and carried into the reports. */
  rootCauses: string[];
}

/** Forgets this process's run (watch mode, after the config file changed): the next caller starts afresh. */
export function forgetRun(): void {
  delete (globalThis as unknown as Record<symbol, RunState | undefined>)[KEY];
}

export function currentRun(): RunState {
  const g = globalThis as unknown as Record<symbol, RunState | undefined>;
  if (!g[KEY]) {
    // Bad environment settings end the run at once with one line, like a bad config file.
    const fromEnv = <T>(read: () => T): T => {
      try {
        return read();
      } catch (err) {
        throw new ConfigError((err as Error).message);
      }
    };
    const seed = fromEnv(seedFromEnv);
    const keys = fromEnv(keyTypeFromEnv);
    fromEnv(profileFromEnv);
    const specFiles = fromEnv(specFilesFromEnv);
    const configFile = configPath();
    // Before any worker starts, so every worker registers with this run's reaper.
    ensureReaper();
    const now = Date.now();
    // One seed for every key type: the same names and serials, only the keys differ.
    const keyPairs = Object.fromEntries(keys.map((k) => [k, generateKeys(k)])) as Record<KeyType, Promise<Keys>>;
    const variants = new Map<string, Promise<Pki>>();
    // A PKI installed in a service the harness does not start: issue from its CA.
    const installed = process.env.MTLS_PKI
      ? fromEnv(() => loadInstalledPki(path.resolve(process.env.MTLS_PKI!)))
      : undefined;
    const pkiFor = (options: IdentityOptions, key: KeyType): Promise<Pki> => {
      const id = `${key} ${JSON.stringify(options)}`;
      let pki = variants.get(id);
      if (!pki) {
        pki = (keyPairs[key] ?? generateKeys(key)).then((pairs) =>
          issueCertificates(seed, now, key, pairs, options, installed),
        );
        variants.set(id, pki);
      }
      return pki;
    };
    const pkis = Promise.all(keys.map((k) => pkiFor({}, k))).then(
      (issued) => Object.fromEntries(issued.map((p) => [p.keyType, p])) as Record<KeyType, Pki>,
    );
    const state: RunState = {
      seed,
      keys,
      pkis,
      pkiFor,
      specFiles,
      configFile,
      config: loadConfig(configFile),
      rootCauses: [],
    };
    // Both are awaited (and their errors reported) by whoever needs them; never unhandled here.
    state.pkis.catch(() => {});
    state.config.catch(() => {});
    g[KEY] = state;
  }
  return g[KEY];
}
