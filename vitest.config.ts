import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification, type Vitest } from 'vitest/node';
import { fixedPorts, spreadFixedPortFiles } from './harness/targets/port-lock.js';
import { CONFORMANCE_REPORTER, ConformanceReporter } from './harness/report/conformance-reporter.js';
import { testTags } from './harness/catalogue.js';
import { followConfiguration } from './harness/config/watch.js';
import { exitOnConfigError } from './harness/config/load.js';
import { currentRun } from './harness/run.js';
import {
  expandProjectFilters,
  projectFilters,
  projectName,
  rerunWithProjects,
  serverNamesOf,
} from './harness/config/projects.js';

// Starts issuing the PKI now, so key generation overlaps vitest's start-up.
const run = (() => {
  try {
    return currentRun();
  } catch (err) {
    return exitOnConfigError(err);
  }
})();
const mtls = await run.config.catch(exitOnConfigError);
const reports = path.resolve(process.env.MTLS_REPORTS_DIR ?? 'reports');
const targets = Object.keys(mtls.targets);
// One project per target, server name (a server with `names`) and key type.
const cells = targets.flatMap((target) =>
  serverNamesOf(mtls.targets[target]!).flatMap((serverName) => run.keys.map((key) => ({ target, serverName, key }))),
);
const projectNames = cells.map((c) => projectName(c.target, c.serverName, c.key, run.keys));
// A --project that names no target ends the run with one line; a target's name selects all its key types.
const spelled = (() => {
  try {
    return expandProjectFilters(projectFilters(), targets, projectNames, run.configFile);
  } catch (err) {
    return exitOnConfigError(err);
  }
})();
if (spelled) await rerunWithProjects(spelled);

const conformanceReporter = new ConformanceReporter(reports);

// Spec files of targets on a fixed port take turns on it (port-lock.ts): spread among the others.
const onFixedPort = new Set(
  cells
    .filter((c) => fixedPorts(mtls.targets[c.target]!).length)
    .map((c) => projectName(c.target, c.serverName, c.key, run.keys)),
);
class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return spreadFixedPortFiles(await super.sort(files), (f) => onFixedPort.has(f.project.name));
  }
}

// Reporters given on the command line (--reporter=dot, github-actions, blob) replace the config's:
// the conformance reports are written whatever they are. vitest calls configureVitest for the
// projects' plugins (the root is not a project when there are projects): each carries it, and it
// acts once.
let configured = false;
const reportsPlugin = {
  name: 'mtls-conformance-reports',
  configureVitest({ vitest }: { vitest: Vitest }) {
    if (configured) return;
    configured = true;
    const reporters = vitest.config.reporters as unknown[];
    if (!reporters.some((r) => typeof r === 'object' && r !== null && CONFORMANCE_REPORTER in r))
      reporters.push(conformanceReporter);
    // Watch mode: a changed config file reloads the targets; a target's `watch` files rerun it.
    followConfiguration(vitest, run.configFile, mtls, (target) =>
      cells.filter((c) => c.target === target).map((c) => projectName(c.target, c.serverName, c.key, run.keys)),
    );
  },
};

// What the root and every project share (see `projects` below).
const perProject = {
  // --tags-filter selects checks by area, level and role (e.g. `strict`, `client-authentication and server`).
  tags: testTags(),
  globalSetup: ['./harness/setup/global.ts'],
  // Probes are short and CPU-bound: threads (cheaper to start than forks), and one module graph
  // per worker rather than one per spec file.
  pool: 'threads' as const,
  isolate: false,
  testTimeout: 30_000,
};

export default defineConfig({
  plugins: [reportsPlugin],
  test: {
    ...perProject,
    reporters: ['default', ['json', { outputFile: path.join(reports, 'results.json') }], conformanceReporter],
    // Both cores.
    maxWorkers: 2,
    // Programs on a fixed port (the document's 8443) take a lock on it (harness/targets/port-lock.ts):
    // spec files run in parallel, and only those programs wait for each other.
    sequence: { sequencer: Sequencer },
    // Every target is a vitest project (`npx vitest --project <target>` runs one); a server with
    // several names, one per name: <target>:<name>; with more than one key type (MTLS_KEY=all), one
    // per key type too: <target>/<key type>. Each spells out what it shares with the root rather
    // than `extends: true`, which would load (and bundle) this file again for every project.
    projects: cells.map(({ target, serverName, key }) => ({
      plugins: [reportsPlugin],
      test: {
        ...perProject,
        name: projectName(target, serverName, key, run.keys),
        include: ['specs/**/*.spec.ts'],
        provide: { mtlsTarget: target, mtlsKey: key, mtlsServerName: serverName ?? '' },
      },
    })),
  },
});
