/** The harness's own tests: unit tests of the harness and the self-tests. `npm test` runs them. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/**/*.test.ts'],
    // One file at a time. Tried two (most files wait on child runs and real programs): 7.7 min
    // instead of ~12, but tests that count what a run leaves in the temp folder, or wait for a
    // watch-mode rerun, see each other's runs. Each child run uses both cores itself.
    fileParallelism: false,
    // Generous: each test that runs the suite bounds its own child run; none depends on the machine's speed.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    reporters: ['default', ['json', { outputFile: 'reports/harness-results.json' }]],
  },
});
