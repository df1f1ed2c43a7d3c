/**
 * The package as a team gets it: `npm pack` of this repository, installed with npm alone into a
 * folder that has only a package.json, then used there through its command and its vitest preset,
 * against a Node server of the team's written in the team's mtls.config.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';
import type { ConformanceReport } from '../harness/report/types.js';

const work = mkdtempSync(path.join(tmpdir(), 'mtls-package-test-'));
const team = path.join(work, 'team');
afterAll(() => rmSync(work, { recursive: true, force: true }));

let tarball: string;
let files: string[];

interface Ran {
  code: number | null;
  output: string;
  /** What the run left in its own temp folder. */
  leftBehind: string[];
}

/** Runs a command in `cwd` as a user would, with its own temp folder and none of this run's settings. */
async function sh(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<Ran> {
  const tmp = mkdtempSync(path.join(work, 'tmp-'));
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env: {
      ...Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('MTLS_')),
      ),
      NO_COLOR: '1',
      TMPDIR: tmp,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const leftBehind = readdirSync(tmp);
  rmSync(tmp, { recursive: true, force: true });
  return { code, output, leftBehind };
}

const cli = (args: string[], env?: Record<string, string>, cwd = team) =>
  sh(cwd, [path.join(team, 'node_modules/.bin/mtls-conformance'), ...args], env);
const report = () => JSON.parse(readFileSync(path.join(team, 'reports/conformance.json'), 'utf8')) as ConformanceReport;

// The team's service: Node tls options, written in TypeScript (loaded on Node 20, which cannot strip
// types). TEAM_OPTIONAL=1 makes it let certificate-less clients in.
const TEAM_CONFIG = `import { defineConfig, type RoleMaterial } from 'mtls-conformance';

const optional: boolean = process.env.TEAM_OPTIONAL === '1';

export default defineConfig({
  targets: {
    orders: {
      description: "the team's orders service",
      server: {
        kind: 'node',
        options: ({ ca, cert, key }: RoleMaterial) => ({
          ca, cert, key, requestCert: !optional, rejectUnauthorized: true,
        }),
      },
    },
  },
});
`;

describe(`the package, installed from its tarball into an empty project (Node ${process.version})`, () => {
  beforeAll(() => {
    // prepack builds dist/ with tsc; the tarball is what a registry would serve.
    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{
      filename: string;
      files: { path: string }[];
    }>;
    tarball = path.join(work, info!.filename);
    files = info!.files.map((f) => f.path);
    mkdirSync(team);
    writeFileSync(path.join(team, 'package.json'), JSON.stringify({ name: 'team', version: '1.0.0', type: 'module' }));
    execFileSync('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      cwd: team,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }, 300_000);

  it('holds the compiled suite only: no tests, reports, test fixtures, sources or keys', () => {
    expect(files).toContain('dist/harness/cli/main.js');
    expect(files).toContain('dist/harness/package/index.d.ts');
    expect(files.filter((f) => !/^dist\/|^package\.json$|^README\.md$/.test(f))).toEqual([]);
    expect(
      files.filter(
        (f) => /tests?\/|selftest|reports\/|interop|bench|\.pem$|_key|\.ts$/.test(f) && !f.endsWith('.d.ts'),
      ),
    ).toEqual([]);
  });

  it('brings what it needs at run time, and nothing of this project’s development', () => {
    const installed = (name: string) => existsSync(path.join(team, 'node_modules', name, 'package.json'));
    for (const name of ['node-forge', '@faker-js/faker', 'vitest']) expect(installed(name), name).toBe(true);
    for (const name of ['playwright-core', 'tsx', 'typescript', 'c8']) expect(installed(name), name).toBe(false);
  });

  it('--help: exit 0; in a folder with no config: exit 2 and one line; an unknown flag: the usage', async () => {
    const help = await sh(team, ['npx', '--no-install', 'mtls-conformance', '--help']);
    expect(help.code, help.output).toBe(0);
    expect(help.output).toMatch(/^usage: mtls-conformance /);
    const empty = await cli([]);
    expect(empty.code, empty.output).toBe(2);
    expect(empty.output).toBe(
      `mtls-conformance: no mtls.config.* in ${team}; \`npx mtls-conformance init\` writes one\n`,
    );
    const unknown = await cli(['--bail']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/^mtls-conformance: unknown option --bail\nusage: mtls-conformance /);
  });

  it('init writes a starter config, and will not overwrite it; the team’s Node server passes: exit 0', async () => {
    const init = await cli(['init']);
    expect(init.code, init.output).toBe(0);
    expect(readFileSync(path.join(team, 'mtls.config.ts'), 'utf8')).toMatch(/from 'mtls-conformance'/);
    const again = await cli(['init']);
    expect(again.code).toBe(2);
    expect(again.output).toMatch(/init: .*mtls\.config\.ts exists; not overwritten/);

    writeFileSync(path.join(team, 'mtls.config.ts'), TEAM_CONFIG);
    const run = await cli([]);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    const cells = report().results;
    expect(cells.length).toBeGreaterThan(40);
    expect(new Set(cells.map((r) => r.target))).toEqual(new Set(['orders']));
    expect(cells.filter((r) => r.verdict === 'pass').length).toBeGreaterThan(20);
    expect(run.leftBehind, 'what the run left in its temp folder').toEqual([]);
  });

  it('the same server letting certificate-less clients in: exit 1, naming cauth.reject-none', async () => {
    const run = await cli([], { TEAM_OPTIONAL: '1' });
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.output).toMatch(/cauth\.reject-none/);
    expect(report().results.find((r) => r.id === 'cauth.reject-none' && r.version === 'TLSv1.3')?.verdict).toBe('fail');
  });

  it('demo: the built-in reference target, saying so in its first and last line; exit 0', async () => {
    const run = await cli(['demo'], {}, work);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    const lines = run.output.trim().split('\n');
    expect(lines[0]).toBe('mtls-conformance demo: the built-in reference target, not your service');
    expect(lines.at(-1)).toMatch(/^mtls-conformance demo: that was the built-in reference target \(exit 0\)/);
    expect(run.output).toMatch(/mtls-conformance: \d+ pass, 0 fail/);
  });

  it("certs <dir>: the document's file set, keys 0600", async () => {
    const dir = path.join(work, 'pki');
    const run = await cli(['certs', dir]);
    expect(run.code, run.output).toBe(0);
    for (const f of [
      'ca_cert.pem',
      'ca_key.pem',
      'server_cert.pem',
      'server_key.pem',
      'client_cert.pem',
      'client_key.pem',
    ])
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    expect(statSync(path.join(dir, 'client_key.pem')).mode & 0o777).toBe(0o600);
    const help = await cli(['certs', '--help']);
    expect(help.output).toMatch(/^usage: mtls-conformance certs /);
  });

  it('-t that matches no check: exit 1, saying no check ran', async () => {
    const run = await cli(['-t', 'no-such-check']);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/no check ran: the test-name filter \(-t\)/);
  });

  describe('the preset beside a unit test of the team’s, under the team’s own `npx vitest run`', () => {
    beforeAll(() => {
      mkdirSync(path.join(team, 'unit'));
      writeFileSync(
        path.join(team, 'unit/math.test.ts'),
        "import { expect, it } from 'vitest';\n" +
          "it('adds', () => {\n  expect(1 + 1).toBe(process.env.TEAM_UNIT_BROKEN ? 3 : 2);\n});\n",
      );
      writeFileSync(
        path.join(team, 'vitest.config.ts'),
        `import { defineConfig } from 'vitest/config';
import { mtlsProjects } from 'mtls-conformance/vitest';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['unit/**/*.test.ts'] } },
      ...(await mtlsProjects({ config: './mtls.config.ts' })),
    ],
  },
});
`,
      );
      rmSync(path.join(team, 'reports'), { recursive: true, force: true });
    });
    const vitest = (env?: Record<string, string>) =>
      sh(team, [path.join(team, 'node_modules/.bin/vitest'), 'run'], env);

    it('both run: the unit test and the checks (cells in the team’s reports); exit 0', async () => {
      const run = await vitest();
      expect(run.code, run.output.slice(-2000)).toBe(0);
      expect(run.output).toMatch(/✓ .*unit.* unit\/math\.test\.ts/);
      expect(report().results.length).toBeGreaterThan(40);
      expect(report().targets).toEqual(['orders']);
    });

    it('a failing unit test with passing checks: exit 1', async () => {
      const run = await vitest({ TEAM_UNIT_BROKEN: '1' });
      expect(run.code, run.output.slice(-2000)).toBe(1);
      expect(report().summary.fail).toBe(0);
    });

    it('a failing check with a passing unit test: exit 1', async () => {
      const run = await vitest({ TEAM_OPTIONAL: '1' });
      expect(run.code, run.output.slice(-2000)).toBe(1);
      expect(run.output).toMatch(/cauth\.reject-none/);
    });

    it('-t that matches no check (nor test): exit 1, saying no check ran', async () => {
      const run = await sh(team, [path.join(team, 'node_modules/.bin/vitest'), 'run', '-t', 'no-such-check']);
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/mtls-conformance: no check ran: the test-name filter \(-t\)/);
    });

    it('--project unit runs the unit tests alone: exit 0, no conformance report', async () => {
      rmSync(path.join(team, 'reports'), { recursive: true, force: true });
      const run = await sh(team, [path.join(team, 'node_modules/.bin/vitest'), 'run', '--project', 'unit']);
      expect(run.code, run.output.slice(-2000)).toBe(0);
      expect(existsSync(path.join(team, 'reports/conformance.json'))).toBe(false);
    });
  });
});
