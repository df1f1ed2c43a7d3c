/** The harness's own tests: unit tests of the harness and the self-tests. `npm test` runs them. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/**/*.test.ts'],
    // Files in parallel: each child run has its own TMPDIR and reports folder, and counts only
    // what it left; fixed ports are taken in turn machine-wide. Most files wait on child runs and
    // real programs; on 2 cores 2 files at a time is as fast as 3 (measured in CONTRIBUTING); MTLS_TEST_WORKERS
    // overrides it for a machine of another size.
    maxWorkers: Number(process.env.MTLS_TEST_WORKERS) || 2,
    // Generous: each test that runs the suite bounds its own child run; none depends on the machine's speed.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    reporters: ['default', ['json', { outputFile: 'reports/harness-results.json' }]],
  },
});
