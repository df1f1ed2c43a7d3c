/**
 * What one `vitest` process shares: its PKI and its loaded config. vitest loads the config
 * file, the global setup (once per project) and the reporter as separate module instances, so
 * the shared promises live on globalThis. Issuance starts when the config file is loaded, which
 * overlaps RSA key generation with vitest's own start-up.
 */
import { seedFromEnv } from '../fixtures/identities.js';
import { configPath, loadConfig } from './config/load.js';
import type { MtlsConfig } from './config/types.js';
import { issuePki, type Pki } from './pki/issue.js';

const KEY = Symbol.for('mtls-conformance.run');
export interface RunState {
  seed: number;
  pki: Promise<Pki>;
  configFile: string;
  config: Promise<MtlsConfig>;
  announced?: boolean;
}

export function currentRun(): RunState {
  const g = globalThis as unknown as Record<symbol, RunState | undefined>;
  if (!g[KEY]) {
    const seed = seedFromEnv();
    const configFile = configPath();
    const state: RunState = { seed, pki: issuePki(seed), configFile, config: loadConfig(configFile) };
    // Both are awaited (and their errors reported) by whoever needs them; never unhandled here.
    state.pki.catch(() => {});
    state.config.catch(() => {});
    g[KEY] = state;
  }
  return g[KEY];
}
