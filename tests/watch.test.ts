/**
 * Watch mode follows the configuration: `vitest watch` reruns with the new targets when the config
 * file changes, and reruns a target when a file it lists in `watch` changes. Decided from the
 * reports the watcher writes, waiting (boundedly) for each, never on a timing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/config/load.js';
import type { ConformanceReport } from '../harness/report/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-watch-test-'));
const config = path.join(dir, 'watched.config.mjs');
const extra = path.join(dir, 'extra-ciphers.txt');
const reports = path.join(dir, 'reports');
const write = (ciphers: string) =>
  writeFileSync(
    config,
    `import { readFileSync } from 'node:fs';
const ciphers = ${JSON.stringify(ciphers)};
const extra = () => readFileSync(${JSON.stringify(extra)}, 'utf8').trim();
const options = ({ ca, cert, key }) => ({
  ca, cert, key, requestCert: true, rejectUnauthorized: true, ciphers: [ciphers, extra()].filter(Boolean).join(':') });
export default { targets: { svc: { watch: ['extra-ciphers.txt'], server: { kind: 'node', options } } } };
`,
  );

function cbc(): { at: string; verdict?: string } | undefined {
  const file = path.join(reports, 'conformance.json');
  if (!existsSync(file)) return undefined;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
    return {
      at: r.generatedAt,
      verdict: r.results.find((x) => x.id === 'crypto.reject-cbc-suites.server' && x.version === 'TLSv1.2')?.verdict,
    };
  } catch {
    return undefined; /* being written */
  }
}

async function next(after: string | undefined, verdict: string): Promise<string> {
  const end = Date.now() + 150_000;
  for (;;) {
    const now = cbc();
    if (now && now.at !== after && now.verdict === verdict) return now.at;
    if (Date.now() > end)
      throw new Error(
        `no report with crypto.reject-cbc-suites.server ${verdict} after ${after}; last: ${JSON.stringify(now)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('watch mode', () => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('MTLS_')),
  );
  const child = (() => {
    write('ECDHE+AESGCM');
    writeFileSync(extra, '');
    return spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'watch'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: 'ignore',
      env: { ...env, CI: '', MTLS_CONFIG: config, MTLS_REPORTS_DIR: reports },
    });
  })();
  afterAll(() => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('an edit of the config file reruns with the new config; a target watch file reruns it', async () => {
    const first = await next(undefined, 'pass');
    // Add a CBC suite in the config file: the matrix changes.
    write('ECDHE+AESGCM:ECDHE+AES');
    const second = await next(first, 'warning');
    // Revert: it changes back.
    write('ECDHE+AESGCM');
    const third = await next(second, 'pass');
    // A file the target lists in `watch`.
    writeFileSync(extra, 'ECDHE+AES');
    const fourth = await next(third, 'warning');
    expect(new Set([first, second, third, fourth]).size, 'four reports, one per change').toBe(4);
  }, 600_000);
});
