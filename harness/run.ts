/**
 * The run's PKI, issued once per `vitest` process. vitest loads the config file, the global
 * setup and the reporter as separate module instances, so the shared promise lives on
 * globalThis. Issuance starts when the config is loaded, which overlaps RSA key generation
 * with vitest's own start-up.
 */
import { seedFromEnv } from '../fixtures/identities.js';
import { issuePki, type Pki } from './pki/issue.js';

const KEY = Symbol.for('mtls-conformance.run');
type RunState = { seed: number; pki: Promise<Pki> };

export function runPki(): RunState {
  const g = globalThis as unknown as Record<symbol, RunState | undefined>;
  if (!g[KEY]) {
    const seed = seedFromEnv();
    const pki = issuePki(seed);
    pki.catch(() => {}); // surfaced where it is awaited
    g[KEY] = { seed, pki };
  }
  return g[KEY];
}
