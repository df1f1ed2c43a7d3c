/** The harness's own tests: unit tests of the harness and the self-tests. `npm test` runs them. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/**/*.test.ts'],
    // Two files at a time: most of them wait on child runs and real programs, not on the CPU.
    // Programs on the tutorial's fixed port 8443 take turns on it across runs (port-lock.ts).
    fileParallelism: true,
    maxWorkers: 2,
    // Generous: each test that runs the suite bounds its own child run; none depends on the machine's speed.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    reporters: ['default', ['json', { outputFile: 'reports/harness-results.json' }]],
  },
});
