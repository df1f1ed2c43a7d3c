/**
 * vitest's default reporter, for a run of the suite alone (this repository's config and the
 * command's): the conformance reporter prints every failed check once, with its evidence and its
 * fix, so vitest's own block for each failed check (and its line in the file tree) would repeat
 * it. Anything else that fails (a spec file that cannot load, an unhandled error) is still shown,
 * and vitest's test counts are labelled as vitest's. Its JSON results are written without a word.
 */
import type { TestCase, TestModuleState } from 'vitest/node';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DefaultReporter, JsonReporter } from 'vitest/node';

type Files = Parameters<DefaultReporter['reportSummary']>[0];
type Task = Files[number]['tasks'][number];

const isCheck = (task: { type: string; meta?: object }) =>
  task.type === 'test' && !!(task.meta as { mtls?: unknown } | undefined)?.mtls;

/** The task tree without the checks (suites and other tests kept). */
function withoutChecks<T extends { tasks?: Task[] }>(task: T): T {
  if (!task.tasks) return task;
  return { ...task, tasks: task.tasks.filter((t) => !isCheck(t)).map((t) => withoutChecks(t as T & Task)) };
}

// ANSI colour codes around vitest's summary titles.
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

export class SuiteReporter extends DefaultReporter {
  protected override printTestCase(moduleState: TestModuleState, test: TestCase): void {
    if (isCheck({ type: 'test', meta: test.meta() })) return;
    super.printTestCase(moduleState, test);
  }

  override reportSummary(files: Files, errors: unknown[]): void {
    const self = this as unknown as { printErrorsSummary(files: Files, errors: unknown[]): void };
    const printErrors = self.printErrorsSummary.bind(this);
    const log = this.log.bind(this);
    self.printErrorsSummary = (f, e) => printErrors(f.map(withoutChecks), e);
    this.log = (...messages: unknown[]) => {
      const [first, ...rest] = messages;
      const title = typeof first === 'string' ? plain(first).trim() : '';
      if (title === 'Test Files' || title === 'Tests')
        return log(`vitest's ${title === 'Tests' ? 'tests' : 'files'}`.padStart(15), ...rest);
      return log(...messages);
    };
    try {
      super.reportSummary(files, errors);
    } finally {
      delete (self as { printErrorsSummary?: unknown }).printErrorsSummary;
      delete (this as { log?: unknown }).log;
    }
  }
}

/** vitest's JSON results, written without a line of its own after the verdict, which must be the last screen. */
export class QuietJsonReporter extends JsonReporter {
  override async writeReport(report: string): Promise<void> {
    const file = this.options.outputFile;
    if (typeof file !== 'string') return super.writeReport(report);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, report, 'utf8');
  }
}
