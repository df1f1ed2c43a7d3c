/**
 * `npm run bench`: the speed figures quoted in the README, each with its budget and whether it
 * is met. Budgets are ratios measured side by side in one run (a slow machine slows both sides),
 * except the absolute ones the issue sets for 2 cores. Nothing here is a test: no run fails on a
 * figure; the bench says what it measured.
 *
 *   - one probe against a raw Node mTLS handshake (same certificates, version and exchange);
 *   - PKI issuance per key type;
 *   - `npx vitest run` on the default target against a trivial one-test vitest suite, and with
 *     MTLS_KEY=all against RSA alone;
 *   - probes per second and CPU use for 1, 2 and 5 targets (copies of the default target);
 *   - the interop run (`MTLS_KEY=all npm run interop`: every real-peer target, both key types),
 *     with the machine's busy CPU (its programs are not the run's children);
 *   - `.ci/run` on a fresh clone (only with BENCH_CI=1: it installs packages and takes minutes).
 *
 * Options: BENCH_RUNS (whole-run repetitions, default 5), BENCH_PROBES (per kind, default 100),
 * BENCH_INTEROP=0 (skip the interop run), BENCH_CI=1 (time .ci/run on a fresh clone of HEAD).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { REPO_ROOT } from '../harness/config/load.js';
import { issuePki, KEY_TYPES } from '../harness/pki/issue.js';
import { PROFILE_NAMES } from '../fixtures/profiles.js';
import { materialFor } from '../harness/pki/material.js';
import { probe } from '../harness/probe.js';
import type { NodeServerRole } from '../harness/config/types.js';
import { referenceClient } from '../harness/targets/reference.js';
import { clientSide, nodeServerSide } from '../harness/targets/sides.js';
import { TLS_VERSIONS, type PinnedVersion } from '../harness/tls.js';
import type { ConformanceReport } from '../harness/report/types.js';

const RUNS = Number(process.env.BENCH_RUNS) || 5;
const PROBES = Number(process.env.BENCH_PROBES) || 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);

interface Row {
  measure: string;
  figure: string;
  budget?: string;
  met?: boolean;
}
const rows: Row[] = [];
const say = (row: Row) => {
  rows.push(row);
  console.error(
    `bench: ${row.measure}: ` +
      `${row.figure}${row.budget ? ` (budget ${row.budget}: ${row.met ? 'met' : 'NOT met'})` : ''}`,
  );
};

// --- One probe against a raw handshake ------------------------------------------------------
const pki = await issuePki(1);
const serverMaterial = materialFor(pki, 'server');
const clientMaterial = materialFor(pki, 'client');
const strictServer: NodeServerRole = {
  kind: 'node',
  options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, rejectUnauthorized: true }),
};

/** The yardstick: what a `test-tls-*` scenario does, a server and a client with these certificates, one exchange. */
async function rawHandshake(version: PinnedVersion): Promise<void> {
  const server = tls.createServer(
    { ...strictServer.options(serverMaterial), minVersion: version, maxVersion: version },
    (s) => s.once('data', (d: Buffer) => s.end(d)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port,
        ca: clientMaterial.ca,
        cert: clientMaterial.cert,
        key: clientMaterial.key,
        minVersion: version,
        maxVersion: version,
        checkServerIdentity: () => undefined,
      },
      () => socket.write('hello'),
    );
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
  await new Promise((resolve) => server.close(resolve));
}

const oneProbe = (version: PinnedVersion) =>
  probe({
    version,
    server: nodeServerSide('server', strictServer, serverMaterial),
    client: clientSide('reference client', referenceClient(version), clientMaterial),
  });

for (const version of TLS_VERSIONS) {
  const raw: number[] = [];
  const probed: number[] = [];
  for (let i = 0; i < 10; i++) {
    await rawHandshake(version);
    await oneProbe(version);
  }
  // Interleaved, so both see the same machine.
  for (let i = 0; i < PROBES; i++) {
    let t = performance.now();
    await rawHandshake(version);
    raw.push(performance.now() - t);
    t = performance.now();
    const o = await oneProbe(version);
    probed.push(performance.now() - t);
    if (o.verdict !== 'accepted') throw new Error(`bench probe was ${o.verdict}: ${o.reason}`);
  }
  const ratio = median(probed) / median(raw);
  say({
    measure: `one probe, ${version}, against a raw Node mTLS handshake (median of ${PROBES} each, interleaved)`,
    figure: `${ms(median(probed))} vs ${ms(median(raw))} = ${ratio.toFixed(2)}x`,
    budget: '1.5x',
    met: ratio <= 1.5,
  });
}

for (const keyType of KEY_TYPES) {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await issuePki(i + 2, Date.now(), keyType);
    times.push(performance.now() - t);
  }
  say({
    measure: `PKI issuance, ${keyType} (7 keys, ${PROFILE_NAMES.length} certificates), median of 10`,
    figure: ms(median(times)),
  });
}

// --- Whole runs -----------------------------------------------------------------------------
interface Timed {
  wallMs: number;
  cpuMs: number;
  /** The whole machine's busy CPU over the run (/proc/stat), whoever's children used it. */
  machineCpuMs: number;
  report?: ConformanceReport;
}

/** The machine's busy CPU so far (user, nice, system, irq, softirq of every core), in ms. */
function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const hz = 100; // USER_HZ, as /proc/stat counts on Linux
  return ((cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]!) / hz) * 1000;
}

/**
 * One command as a user types it, with its wall time and the CPU time of everything it started:
 * the shell's cutime and cstime (/proc/<pid>/stat fields 16 and 17, in clock ticks), which count
 * every descendant it waited for.
 */
function timed(command: string, env: Record<string, string> = {}, cwd = REPO_ROOT, reportsDir?: string): Timed {
  const reports = mkdtempSync(path.join(os.tmpdir(), 'mtls-bench-reports-'));
  try {
    const busy = machineBusyMs();
    const started = performance.now();
    const r = spawnSync(
      'bash',
      [
        '-c',
        `( ${command} ) > "${reports}/out.log" 2>&1; rc=$?; read -r -a s < /proc/$$/stat; echo "\${s[15]} \${s[16]} ` +
          `$(getconf CLK_TCK)"; exit $rc`,
      ],
      {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', MTLS_REPORTS_DIR: reports, ...env },
      },
    );
    const wallMs = performance.now() - started;
    const machineCpuMs = machineBusyMs() - busy;
    if (r.status !== 0)
      throw new Error(
        `${command} failed (${r.status}):\n${readFileSync(path.join(reports, 'out.log'), 'utf8').slice(-3000)}`,
      );
    const [user, sys, hz] = r.stdout.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
    let report: ConformanceReport | undefined;
    try {
      report = JSON.parse(
        readFileSync(path.join(reportsDir ?? reports, 'conformance.json'), 'utf8'),
      ) as ConformanceReport;
    } catch {
      /* not a conformance run */
    }
    return { wallMs, cpuMs: ((user + sys) / hz) * 1000, machineCpuMs, report };
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

const VITEST = 'npx vitest run';
const trivial: number[] = [],
  rsa: number[] = [],
  all: number[] = [];
// Interleaved, so a busy moment of the machine lands on every kind of run alike.
for (let i = 0; i < RUNS; i++) {
  trivial.push(timed(`${VITEST} --config bench/trivial/vitest.config.ts`).wallMs);
  rsa.push(timed(VITEST).wallMs);
  all.push(timed(VITEST, { MTLS_KEY: 'all' }).wallMs);
}
const [t, d, a] = [median(trivial), median(rsa), median(all)];
say({ measure: `\`npx vitest run\`, trivial one-test suite, median of ${RUNS}`, figure: ms(t) });
say({
  measure: `\`npx vitest run\`, default target, RSA (every check, fresh PKI), median of ${RUNS}`,
  figure: ms(d),
  budget: '3 s',
  met: d <= 3000,
});
say({
  measure: 'default run against the trivial run',
  figure: `${(d / t).toFixed(2)}x`,
  budget: '2x',
  met: d / t <= 2,
});
say({ measure: `\`MTLS_KEY=all npx vitest run\` (RSA and ECDSA), median of ${RUNS}`, figure: ms(a) });
say({
  measure: 'MTLS_KEY=all against the RSA run',
  figure: `${(a / d).toFixed(2)}x`,
  budget: '1.5x',
  met: a / d <= 1.5,
});

// --- Scale: checks x targets ----------------------------------------------------------------
const scale: Array<{ n: number; rate: number }> = [];
for (const n of [1, 2, 5]) {
  const runs = Array.from({ length: Math.max(1, Math.ceil(RUNS / 2)) }, () =>
    timed(VITEST, { MTLS_CONFIG: 'bench/targets.config.ts', BENCH_TARGETS: String(n) }),
  );
  const run = runs.sort((x, y) => x.wallMs - y.wallMs)[runs.length >> 1]!;
  const probes = run.report!.results.reduce((sum, r) => sum + r.probes.length, 0);
  const rate = probes / (run.wallMs / 1000);
  scale.push({ n, rate });
  say({
    measure: `${n} target${n > 1 ? 's' : ''} (copies of the default), median of ${runs.length}`,
    figure:
      `${probes} probes in ${ms(run.wallMs)}: ${rate.toFixed(0)} probes/s, CPU ` +
      `${((run.cpuMs / run.wallMs) * 100).toFixed(0)}% of one core (of ${os.cpus().length * 100}%)`,
  });
}
const growth = scale[0]!.rate / scale.at(-1)!.rate;
say({
  measure: 'cost per probe, 5 targets against 1 (linear or better: at most 1x)',
  figure: `${growth.toFixed(2)}x`,
  budget: '1x',
  met: growth <= 1,
});

// --- Real peers and CI ----------------------------------------------------------------------
if (process.env.BENCH_INTEROP !== '0') {
  // What a user runs: every real-peer target, both key types, side by side (each on ports the OS
  // gives); its reports go where the script puts them.
  const interop = timed('npm run interop', { MTLS_KEY: 'all' }, REPO_ROOT, path.join(REPO_ROOT, 'reports/interop'));
  const probes = interop.report?.results.reduce((sum, r) => sum + r.probes.length, 0) ?? 0;
  say({
    measure:
      `\`MTLS_KEY=all npm run interop\` (${interop.report?.targets.length ?? '?'} projects: real-peer targets ` +
      `× key types), one run: ${probes} probes, machine CPU ${(interop.machineCpuMs / 1000).toFixed(0)} s`,
    figure: ms(interop.wallMs),
    budget: '4 min',
    met: interop.wallMs <= 240_000,
  });
}
if (process.env.BENCH_CI === '1') {
  const clone = mkdtempSync(path.join(os.tmpdir(), 'mtls-bench-ci-'));
  try {
    spawnSync('git', ['clone', '-q', REPO_ROOT, clone], { stdio: 'ignore' });
    const ci = timed('bash .ci/run < /dev/null', { CI: 'true' }, clone);
    say({
      measure: '`.ci/run` on a fresh clone of HEAD (packages already installed on this machine)',
      figure: ms(ci.wallMs),
      budget: '6 min',
      met: ci.wallMs <= 360_000,
    });
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
} else {
  say({ measure: '`.ci/run` on a fresh clone', figure: 'not measured in this run (BENCH_CI=1 measures it)' });
}

console.log(
  `\nNode ${process.version}, OpenSSL ${process.versions.openssl}, ${os.cpus().length} cores ` +
    `(${os.cpus()[0]?.model ?? 'unknown'})\n`,
);
console.log('| measure | figure | budget | met |\n|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.measure} | ${r.figure} | ${r.budget ?? ''} | ${r.budget ? (r.met ? 'yes' : '**no**') : ''} |`);
