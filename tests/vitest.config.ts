/** The harness's own tests: unit tests of the harness and the self-tests. `npm test` runs them. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', ['json', { outputFile: 'reports/harness-results.json' }]],
  },
});
