/**
 * `mtls-conformance/vitest`: the suite's vitest projects, for a team's own vitest config beside
 * its own tests:
 *
 *   export default defineConfig({ test: { projects: [
 *     { test: { name: 'unit', include: ['unit/**\/*.test.ts'] } },
 *     ...(await mtlsProjects({ config: './mtls.config.ts' })),
 *   ] } });
 *
 * One project per target and key type, as in a run of the suite alone; the reports go to
 * ./reports (MTLS_REPORTS_DIR), the snapshot sits beside the config, and a failed check or a
 * failed test of the team's fails the run.
 */
import path from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { suite } from '../suite.js';

export interface MtlsProjectsOptions {
  /** The suite's config file (mtls.config.ts or .mjs), relative to the working directory. */
  config: string;
}

export async function mtlsProjects(options: MtlsProjectsOptions): Promise<TestProjectInlineConfiguration[]> {
  // The run, its global setup and its spec workers read the config file from here.
  process.env.MTLS_CONFIG = path.resolve(options.config);
  return (await suite({ alone: false })).projects;
}
