import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { ConformanceReporter } from './harness/report/conformance-reporter.js';
import { exitOnConfigError } from './harness/config/load.js';
import { currentRun } from './harness/run.js';

// Starts issuing the PKI now, so key generation overlaps vitest's start-up.
const run = (() => { try { return currentRun(); } catch (err) { return exitOnConfigError(err); } })();
const mtls = await run.config.catch(exitOnConfigError);
const reports = path.resolve(process.env.MTLS_REPORTS_DIR ?? 'reports');

export default defineConfig({
  test: {
    globalSetup: ['./harness/setup/global.ts'],
    reporters: [
      'default',
      ['json', { outputFile: path.join(reports, 'results.json') }],
      new ConformanceReporter(reports),
    ],
    // Probes are short and CPU-bound: both cores, threads (cheaper to start than forks), and one
    // module graph per worker rather than one per spec file.
    pool: 'threads',
    maxWorkers: 2,
    // Programs on a fixed port (the document's use 8443) cannot run in two spec files at once.
    fileParallelism: !Object.values(mtls.targets).some((t) => t.server?.kind === 'command' && t.server.port !== undefined || t.client?.kind === 'command' && t.client.port !== undefined),
    isolate: false,
    testTimeout: 30_000,
    // Every target is a vitest project (`npx vitest --project <target>` runs one); with more
    // than one key type (MTLS_KEY=all), one per target and key type: <target>/<key type>.
    projects: Object.keys(mtls.targets).flatMap((target) => run.keys.map((key) => ({
      extends: true,
      test: {
        name: run.keys.length > 1 ? `${target}/${key}` : target,
        include: ['specs/**/*.spec.ts'],
        provide: { mtlsTarget: target, mtlsKey: key },
      },
    }))),
  },
});
