/**
 * The suite as vitest configuration: one project per target, server name and key type, each
 * running the specs with the run's global setup, and the plugin that adds the conformance
 * reporter. Three entry points use it: this repository's vitest.config.ts and the CLI's (the
 * suite alone), and the preset (`mtls-conformance/vitest`), whose projects sit beside a team's own.
 * Paths are the package's own, so the projects run wherever the package is installed.
 */
import path from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import type { Vitest } from 'vitest/node';
import { fixedPorts } from './targets/port-lock.js';
import { CONFORMANCE_REPORTER, ConformanceReporter } from './report/conformance-reporter.js';
import { testTags } from './catalogue.js';
import { followConfiguration } from './config/watch.js';
import { exitOnConfigError, REPO_ROOT, SOURCE_EXT as EXT } from './config/load.js';
import { currentRun, type RunState } from './run.js';
import type { MtlsConfig } from './config/types.js';
import {
  expandProjectFilters,
  positionalArgs,
  projectFilters,
  projectName,
  rerunWithProjects,
  serverNamesOf,
} from './config/projects.js';

export interface Suite {
  run: RunState;
  mtls: MtlsConfig;
  /** The vitest projects of the suite, one per target, server name and key type. */
  projects: TestProjectInlineConfiguration[];
  /** The names of the projects whose programs need a fixed port (they take turns on it). */
  onFixedPort: Set<string>;
  /** The plugin that adds the conformance reporter (and watch-mode reloads) to the run. */
  plugin: { name: string; configureVitest(ctx: { vitest: Vitest }): void };
  /** What the root shares with every project. */
  shared: typeof SHARED;
}

// What the root and every project share.
const SHARED = {
  // --tags-filter selects checks by area, level and role (e.g. `strict`, `client-authentication and server`).
  tags: testTags(),
  globalSetup: [path.join(REPO_ROOT, `harness/setup/global${EXT}`)],
  // Probes are short and CPU-bound: threads (cheaper to start than forks), and one module graph
  // per worker rather than one per spec file.
  pool: 'threads' as const,
  isolate: false,
  testTimeout: 30_000,
};

/**
 * `alone`: the suite is the whole run, so a `--project` that names no target is an error (one
 * line, exit 2). Beside a team's own projects it may name theirs.
 */
export async function suite({ alone }: { alone: boolean }): Promise<Suite> {
  // Starts issuing the PKI now, so key generation overlaps vitest's start-up.
  const run = (() => {
    try {
      return currentRun();
    } catch (err) {
      return exitOnConfigError(err);
    }
  })();
  const mtls = await run.config.catch(exitOnConfigError);
  const targets = Object.keys(mtls.targets);
  const cells = targets.flatMap((target) =>
    serverNamesOf(mtls.targets[target]!).flatMap((serverName) => run.keys.map((key) => ({ target, serverName, key }))),
  );
  const nameOf = (c: (typeof cells)[number]) => projectName(c.target, c.serverName, c.key, run.keys);
  const projectNames = cells.map(nameOf);
  // A target's name selects all its key types; alone, a --project that names no target ends the run with one line.
  const filters = projectFilters();
  const spelled = (() => {
    try {
      return expandProjectFilters(
        alone ? filters : filters.filter((f) => targets.includes(f)),
        targets,
        projectNames,
        run.configFile,
      );
    } catch (err) {
      return exitOnConfigError(err);
    }
  })();
  if (spelled) await rerunWithProjects(alone ? spelled : [...filters.filter((f) => !targets.includes(f)), ...spelled]);

  const reporter = new ConformanceReporter(path.resolve(process.env.MTLS_REPORTS_DIR ?? 'reports'));
  // Reporters given on the command line (--reporter=dot, github-actions, blob) replace the config's:
  // the conformance reports are written whatever they are. vitest calls configureVitest for the
  // projects' plugins (the root is not a project when there are projects): each carries it, and it
  // acts once.
  let configured = false;
  const plugin = {
    name: 'mtls-conformance-reports',
    configureVitest({ vitest }: { vitest: Vitest }) {
      if (configured) return;
      configured = true;
      const reporters = vitest.config.reporters as unknown[];
      if (!reporters.some((r) => typeof r === 'object' && r !== null && CONFORMANCE_REPORTER in r))
        reporters.push(reporter);
      // Watch mode: a changed config file reloads the targets; a target's `watch` files rerun it.
      followConfiguration(vitest, run.configFile, mtls, (target) =>
        cells.filter((c) => c.target === target).map(nameOf),
      );
    },
  };
  // A path filter names spec files: they run as files of their own, whatever MTLS_FILES says.
  const include =
    run.specFiles === 'target' && !positionalArgs(process.argv).length
      ? [`specs/every-area${EXT}`]
      : [`specs/**/*.spec${EXT}`];
  const projects = cells.map((cell): TestProjectInlineConfiguration => ({
    plugins: [plugin],
    test: {
      ...SHARED,
      name: nameOf(cell),
      // The package's own specs, wherever it is installed (under node_modules too).
      dir: REPO_ROOT,
      include,
      exclude: [],
      // Installed under node_modules, the harness would be loaded by Node itself, whose import()
      // cannot read a TypeScript config on Node 20: vitest runs it, as it does from source.
      server: { deps: { inline: [new RegExp(`^${REPO_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)] } },
      provide: { mtlsTarget: cell.target, mtlsKey: cell.key, mtlsServerName: cell.serverName ?? '' },
    },
  }));
  const onFixedPort = new Set(cells.filter((c) => fixedPorts(mtls.targets[c.target]!).length).map(nameOf));
  return { run, mtls, projects, onFixedPort, plugin, shared: SHARED };
}
