/** vitest global setup: the run's PKI and config reach every spec worker through `provide`. */
import type { TestProject } from 'vitest/node';
import { exitOnConfigError } from '../config/load.js';
import { currentRun } from '../run.js';
import { preflight } from '../targets/preflight.js';

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
}
