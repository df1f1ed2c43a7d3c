/**
 * The suite alone (`npx vitest run` here; the CLI runs the package's compiled copy): the
 * projects of harness/suite.ts, the run's reports, and the order of their spec files.
 */
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { spreadFixedPortFiles } from './harness/targets/port-lock.js';
import { suite } from './harness/suite.js';
import { longestFirst } from './harness/config/order.js';
import { QuietJsonReporter, SuiteReporter } from './harness/report/vitest-reporter.js';

const { run, projects, onFixedPort, plugin, shared } = await suite({ alone: true });
const reports = path.resolve(process.env.MTLS_REPORTS_DIR ?? 'reports');

// One file per project (MTLS_FILES=target): the longest first. Spec files of targets on a fixed
// port take turns on it (port-lock.ts): spread among the others.
class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const ordered =
      run.specFiles === 'target'
        ? longestFirst(sorted, (f) => this.ctx.cache.getFileTestResults(cacheKey(f))?.duration)
        : sorted;
    return spreadFixedPortFiles(ordered, (f) => onFixedPort.has(f.project.name));
  }
}
// vitest's key for a file's results in its cache (BaseSequencer's).
const cacheKey = (f: TestSpecification) =>
  `${f.project.name}:${path.relative(f.project.vitest.config.root, f.moduleId)}`;

export default defineConfig({
  plugins: [plugin],
  test: {
    ...shared,
    // The conformance reporter is added by the plugin, whatever reporters the command line gives.
    // vitest's own blocks leave the checks out: the conformance reporter prints each failed check once.
    reporters: [new SuiteReporter(), new QuietJsonReporter({ outputFile: path.join(reports, 'results.json') })],
    // Both cores.
    maxWorkers: 2,
    // Programs on a fixed port (the document's 8443) take a lock on it (harness/targets/port-lock.ts):
    // spec files run in parallel, and only those programs wait for each other.
    sequence: { sequencer: Sequencer },
    // Every target is a vitest project (`npx vitest --project <target>` runs one); a server with
    // several names, one per name: <target>:<name>; with more than one key type (MTLS_KEY=all), one
    // per key type too: <target>/<key type>. Each spells out what it shares with the root rather
    // than `extends: true`, which would load (and bundle) this file again for every project.
    projects,
  },
});
