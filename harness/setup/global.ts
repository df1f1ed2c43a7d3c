/** vitest global setup: the run's PKI and config reach every spec worker through `provide`. */
import type { TestProject } from 'vitest/node';
import { configPath, loadConfig } from '../config/load.js';
import { runPki } from '../run.js';
import { preflight } from '../targets/preflight.js';

let announced = false;

export default async function setup(project: TestProject): Promise<void> {
  const { seed, pki: issuing } = runPki();
  process.env.MTLS_SEED_USED = String(seed);
  const file = configPath();
  const [pki, config] = await Promise.all([issuing, loadConfig(file)]);
  preflight(config, pki, file);
  project.provide('mtlsPki', pki);
  project.provide('mtlsConfigPath', file);
  if (!announced) {
    announced = true;
    console.log(`mtls-conformance: fresh PKI, seed ${seed} (MTLS_SEED=${seed} replays its names and serials); config ${file}`);
  }
}
