/** The harness's own tests: unit tests of the harness and the self-tests. `npm test` runs them. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/**/*.test.ts'],
    // Several files run programs on the tutorial's fixed port 8443: one file at a time.
    fileParallelism: false,
    // Generous: each test that runs the suite bounds its own child run; none depends on the machine's speed.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    reporters: ['default', ['json', { outputFile: 'reports/harness-results.json' }]],
  },
});
