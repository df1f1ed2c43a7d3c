/**
 * vitest global setup, once per project (target and key type) in the main process: the run's
 * PKI and config reach every spec worker through `provide`, and so does the good exchange of
 * each role and version (spec/exchanges.ts), whose failures are printed here, first, once.
 */
import type { TestProject } from 'vitest/node';
import { exitOnConfigError } from '../config/load.js';
import { currentRun } from '../run.js';
import { preflight } from '../targets/preflight.js';
import { goodExchanges } from '../spec/exchanges.js';
import type { KeyType } from '../pki/issue.js';

export default async function setup(project: TestProject): Promise<void> {
  const run = currentRun();
  const [pkis, config] = await Promise.all([run.pkis, run.config]);
  if (!run.announced) {
    run.announced = true;
    try {
      for (const pki of Object.values(pkis)) preflight(config, pki, run.configFile);
    } catch (err) {
      exitOnConfigError(err);
    }
    process.env.MTLS_SEED_USED = String(run.seed);
    console.log(`mtls-conformance: fresh PKI (${run.keys.join(', ')}), seed ${run.seed} (MTLS_SEED=${run.seed} replays its names and serials); config ${run.configFile}`);
  }
  project.provide('mtlsPkis', pkis);
  project.provide('mtlsConfigPath', run.configFile);

  // The project is the target, or <target>/<key type> when the run has several key types.
  const [name, keyPart] = project.name.split('/') as [string, string | undefined];
  const key = (keyPart ?? run.keys[0]) as KeyType;
  const target = config.targets[name];
  if (!target) return;
  const { exchanges, rootCauses } = await goodExchanges({ name, key, config: target, pki: pkis[key] });
  for (const cause of rootCauses) {
    run.rootCauses.push(cause);
    console.log(`\nmtls-conformance: ROOT CAUSE: ${cause}\n`);
  }
  project.provide('mtlsExchanges', { [`${name}|${key}`]: exchanges });
}
