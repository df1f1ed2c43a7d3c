import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { configPath, loadConfig } from './harness/config/load.js';
import { ConformanceReporter } from './harness/report/conformance-reporter.js';
import { runPki } from './harness/run.js';

runPki(); // start issuing now: key generation overlaps vitest's start-up
const mtls = await loadConfig(configPath());
const reports = path.resolve(process.env.MTLS_REPORTS_DIR ?? 'reports');

export default defineConfig({
  test: {
    globalSetup: ['./harness/setup/global.ts'],
    reporters: [
      'default',
      ['junit', { outputFile: path.join(reports, 'junit.xml') }],
      ['json', { outputFile: path.join(reports, 'results.json') }],
      new ConformanceReporter(reports),
    ],
    testTimeout: 30_000,
    // Every target is a vitest project: `npx vitest --project <target>` runs one.
    projects: Object.keys(mtls.targets).map((name) => ({
      extends: true,
      test: { name, include: ['specs/**/*.spec.ts'], provide: { mtlsTarget: name } },
    })),
  },
});
