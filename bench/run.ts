/**
 * `npm run bench`: the speed figures quoted in the README.
 *   - PKI issuance for a run (every profile, fresh keys);
 *   - median time of one probe, per TLS version, accepted and rejected;
 *   - the whole `npx vitest run` on the default target, against a trivial vitest suite started
 *     the same way (budget: within 2.5x the trivial run, and at most 3 s).
 * Options: BENCH_RUNS (whole-run repetitions, default 7), BENCH_PROBES (per kind, default 40).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../harness/config/load.js';
import { issuePki, KEY_TYPES } from '../harness/pki/issue.js';
import { PROFILE_NAMES } from '../fixtures/profiles.js';
import { materialFor } from '../harness/pki/material.js';
import { probe } from '../harness/probe.js';
import type { NodeServerRole } from '../harness/config/types.js';
import { referenceClient } from '../harness/targets/reference.js';
import { clientSide, nodeServerSide } from '../harness/targets/sides.js';
import { TLS_VERSIONS } from '../harness/tls.js';

const RUNS = Number(process.env.BENCH_RUNS) || 7;
const PROBES = Number(process.env.BENCH_PROBES) || 40;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

async function timeIt(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await fn(); out.push(performance.now() - t); }
  return out;
}

function wholeRun(args: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync('npx', ['vitest', 'run', ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', MTLS_REPORTS_DIR: path.join(os.tmpdir(), 'mtls-bench-reports') }, encoding: 'utf8' });
    out.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`npx vitest run ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  }
  return out;
}

const rows: Array<[string, string]> = [];
for (const keyType of KEY_TYPES) {
  const pkiTimes = await timeIt(() => issuePki(Math.floor(Math.random() * 1e9), Date.now(), keyType), 10);
  rows.push([`PKI issuance, ${keyType} (6 keys + 1 RSA-1024, ${PROFILE_NAMES.length} certificates), median of 10`, ms(median(pkiTimes))]);
}

const pki = await issuePki(1);
const server: NodeServerRole = { kind: 'node', options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, rejectUnauthorized: true }) };
for (const version of TLS_VERSIONS) {
  for (const profile of ['client', 'client-foreign-ca'] as const) {
    const times = await timeIt(() => probe({
      version,
      server: nodeServerSide('s', server, materialFor(pki, 'server')),
      client: clientSide('c', referenceClient(version), materialFor(pki, profile)),
    }), PROBES);
    rows.push([`one probe, ${version}, ${profile === 'client' ? 'accepted' : 'rejected'}, median of ${PROBES}`, ms(median(times))]);
  }
}

const trivial = median(wholeRun(['--config', 'bench/trivial/vitest.config.ts']));
const whole = median(wholeRun([]));
process.env.MTLS_KEY = 'all';
const both = median(wholeRun([]));
delete process.env.MTLS_KEY;
rows.push([`\`npx vitest run\`, trivial one-test suite, median of ${RUNS}`, ms(trivial)]);
rows.push([`\`npx vitest run\`, default target, RSA (whole conformance run), median of ${RUNS}`, ms(whole)]);
rows.push(['ratio whole / trivial (budget 2.5x, and at most 3 s)', `${(whole / trivial).toFixed(2)}x`]);
rows.push([`\`MTLS_KEY=all npx vitest run\`, default target, RSA and ECDSA, median of ${RUNS}`, ms(both)]);

console.log(`\nNode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'})\n`);
console.log('| measure | figure |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
