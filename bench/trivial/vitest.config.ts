/** The yardstick: a one-test vitest suite, started the same way as the conformance run. */
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { root: new URL('.', import.meta.url).pathname, include: ['trivial.test.ts'] } });
