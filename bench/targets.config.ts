/**
 * The bench's scale run: BENCH_TARGETS copies (default 1) of the default target, so that probes
 * per second and CPU use can be read for 1, 2 and 5 targets.
 */
import defaults from '../mtls.config.js';
import { defineConfig } from '../harness/config/types.js';

const n = Number(process.env.BENCH_TARGETS) || 1;
const reference = defaults.targets.reference;
export default defineConfig({
  targets: Object.fromEntries(Array.from({ length: n }, (_, i) => [`copy-${i + 1}`, reference])),
});
