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
import { identityOptionsOf } from '../config/projects.js';
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
    console.log(
      `mtls-conformance: fresh PKI (${run.keys.join(', ')}), seed ${run.seed} (MTLS_SEED=${run.seed} replays its ` +
        `names and serials); config ${run.configFile}`,
    );
  }
  project.provide('mtlsConfigPath', run.configFile);

  const {
    mtlsTarget: name,
    mtlsKey: key,
    mtlsServerName,
  } = project.config.provide as { mtlsTarget?: string; mtlsKey?: KeyType; mtlsServerName?: string };
  const target = name !== undefined ? config.targets[name] : undefined;
  if (name === undefined || !target || !key) return;
  // The PKI of this target: its server's names and the identities it admits, on the run's keys.
  const pki = await run.pkiFor(identityOptionsOf(target), key);
  project.provide('mtlsPki', pki);
  // A fixed port held by another process ends the run here (exit 2), before any check waits on it.
  const { exchanges, rootCauses } = await goodExchanges(
    { name, key, config: target, pki, serverName: mtlsServerName || undefined },
    run.configFile,
  ).catch(exitOnConfigError);
  for (const cause of rootCauses) {
    run.rootCauses.push(cause);
    console.log(`\nmtls-conformance: ROOT CAUSE: ${cause}\n`);
  }
  project.provide('mtlsExchanges', exchanges);
}
