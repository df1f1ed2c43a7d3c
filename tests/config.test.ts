/**
 * The config interface, end to end through `vitest run`: a plain object from a file outside the
 * repository works; bad input ends fast with one message naming the file, target and cause.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite } from './run-suite.js';
import { configPath, loadConfig, REPO_ROOT } from '../harness/config/load.js';
import { issuePki, type Pki } from '../harness/pki/issue.js';
import { preflight } from '../harness/targets/preflight.js';
import { longestFirst } from '../harness/config/order.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('MTLS_CONFIG', () => {
  it(
    'runs the specs against a plain default-exported object in a file outside the repo; absent roles are not ' + 'run',
    async () => {
      const f = file(
        'outside.mjs',
        `export default { targets: { outside: { server: { kind: 'node',
      options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, rejectUnauthorized: true }) } } } };`,
      );
      const run = await runSuite({ MTLS_CONFIG: path.relative(process.cwd(), f) });
      expect(run.code, run.output.slice(-3000)).toBe(0);
      expect(run.report?.targets).toEqual(['outside']);
      // Node's defaults hold every baseline property; strict ones they do not hold are warnings.
      // (Checks that need names on the server, or `admits`, are n/a for it.)
      const server = run.report!.results.filter(
        (r) =>
          r.role === 'server' &&
          !/only/.test(r.reason ?? '') &&
          r.area !== 'authorization' &&
          r.id !== 'resume.server-reject-open-name-session',
      );
      expect(server.every((r) => r.verdict === 'pass' || (r.verdict === 'warning' && r.level === 'strict'))).toBe(true);
      // A server that declares no `admits`: which identities it admits is not known.
      const authz = run.report!.results.filter((r) => r.area === 'authorization');
      expect(authz.length).toBe(8);
      expect(
        authz.every(
          (r) =>
            r.verdict === 'n/a' &&
            r.reason === "the server declares no 'admits': which client identities it admits is not known",
        ),
      ).toBe(true);
      const client = run.report!.results.filter((r) => r.role === 'client');
      expect(client.length).toBeGreaterThan(0);
      expect(client.every((r) => r.verdict === 'n/a' && r.reason === 'the target has no client role')).toBe(true);
      expect(run.output).toMatch(/seed \d+ \(MTLS_SEED=\d+ replays/);
    },
  );
});

describe('bad input ends with a clear message and a non-zero exit, before any probe', () => {
  const cases: Array<[name: string, make: () => string, message: RegExp]> = [
    ['a missing file', () => path.join(dir, 'nope.ts'), /MTLS_CONFIG=.*nope\.ts: no such file/],
    ['a file of another kind', () => file('config.json', '{}'), /expected a .ts, .mts, .mjs, .js file, got '.json'/],
    [
      'a syntax error',
      () =>
        file('syntax.ts', 'export default { targets: { a: { server: { kind: "node", options: () => ({ , }) } } } }'),
      /config .*syntax\.ts:1:\d+: syntax error: Unexpected token/,
    ],
    [
      'a server name that is no DNS name',
      () =>
        file(
          'name.mjs',
          "export default { targets: { n: { server: { kind: 'node', options: () => ({}), name: 'api internal' } } } };",
        ),
      /target 'n' server: 'name' must be a DNS name, got "api internal"/,
    ],
    [
      'names with an unknown option',
      () =>
        file(
          'names.mjs',
          "export default { targets: { n: { server: { kind: 'node', options: () => ({}), names: { 'a.internal': { " +
            "clientAuth: 'optional' } } } } } };",
        ),
      /target 'n' server: names\['a\.internal'\] takes \{ clientAuth\?: 'required' \| 'post-handshake' \| 'none' \}/,
    ],
    [
      'a clientAuth that is no mode',
      () =>
        file(
          'client-auth.mjs',
          "export default { targets: { n: { server: { kind: 'node', options: () => ({}), " +
            "clientAuth: 'optional' } } } };",
        ),
      /target 'n' server: 'clientAuth' is one of 'required', 'post-handshake', 'none', got "optional"/,
    ],
    [
      'a clientAuth on a client role',
      () =>
        file(
          'client-auth-client.mjs',
          "export default { targets: { n: { client: { kind: 'node', options: () => ({}), " +
            "clientAuth: 'required' } } } };",
        ),
      /target 'n' client: 'clientAuth' belongs on a server role/,
    ],
    [
      'admits that are not DNS:, URI: or IP: identities',
      () =>
        file(
          'admits.mjs',
          "export default { targets: { n: { server: { kind: 'node', options: () => ({}), admits: ['orders'] } } } };",
        ),
      /target 'n' server: 'admits' lists identities as 'DNS:<name>', 'URI:<uri>' or 'IP:<address>', got \["orders"\]/,
    ],
    [
      'a syntax error in a .mjs file',
      () => file('syntax.mjs', 'export default { targets: {\n  a: {}\n  b: {}\n} };'),
      /config .*syntax\.mjs:3:3: syntax error: Expected `,` or `}`/,
    ],
    [
      'an unknown property id in waive',
      () =>
        file(
          'waive.mjs',
          "export default { targets: { w: { server: { kind: 'node', options: () => ({}) }, waive: { " +
            "'cauth.reject-expire': 'x' } } } };",
        ),
      /target 'w': waive names 'cauth\.reject-expire', which is not a property; did you mean 'cauth\.reject-expired'\?/,
    ],
    [
      'no default export',
      () => file('nodefault.mjs', 'export const targets = {};'),
      /nodefault\.mjs: has no default export object/,
    ],
    [
      'a target with neither role',
      () => file('neither.mjs', 'export default { targets: { lonely: {} } };'),
      /target 'lonely' has neither a server nor a client role/,
    ],
    [
      'an unknown role kind',
      () => file('kind.mjs', 'export default { targets: { k: { client: { kind: "java", options: () => ({}) } } } };'),
      /target 'k' client: kind "java" is not supported \(expected 'node', 'command' or 'endpoint'\)/,
    ],
    [
      'options that is not a function',
      () => file('opts.mjs', 'export default { targets: { o: { server: { kind: "node", options: {} } } } };'),
      /target 'o' server: 'options' must be a function/,
    ],
    [
      'a server option Node rejects',
      () =>
        file(
          'cipher.mjs',
          `export default { targets: { picky: { server: { kind: 'node',
      options: ({ ca, cert, key }) => ({ ca, cert, key, requestCert: true, ciphers: 'NO-SUCH-CIPHER' }) } } } };`,
        ),
      /target 'picky' server: Node rejects the options: .*no cipher match/,
    ],
    [
      'options() that throws',
      () =>
        file(
          'throws.mjs',
          `export default { targets: { t: { client: { kind: 'node', options: () => { throw new Error('boom'); } } } ` +
            `} };`,
        ),
      /target 't' client: options\(\) threw: boom/,
    ],
    // A misspelt key would silently drop what it says (`admit` for `admits`: six authorization checks n/a, exit 0).
    [
      'a misspelt key of a node server',
      () =>
        file(
          'admit.mjs',
          "export default { targets: { a: { server: { kind: 'node', options: () => ({}), admit: " +
            "['DNS:orders.internal'] } } } };",
        ),
      /target 'a' server: unknown key 'admit' for a node server; did you mean 'admits'\?/,
    ],
    [
      'a misspelt key of a command server',
      () =>
        file(
          'protocl.mjs',
          "export default { targets: { p: { server: { kind: 'command', command: ['true'], protocl: 'http' } } } };",
        ),
      /target 'p' server: unknown key 'protocl' for a command server; did you mean 'protocol'\?/,
    ],
    [
      'a misspelt key of a command client',
      () =>
        file(
          'timeout.mjs',
          "export default { targets: { c: { client: { kind: 'command', command: ['true'], timeout: 30000 } } } };",
        ),
      /target 'c' client: unknown key 'timeout' for a command client; did you mean 'timeoutMs'\?/,
    ],
    [
      'a session client whose command takes {port}',
      () =>
        file(
          'session-port.mjs',
          "export default { targets: { s: { client: { kind: 'command', command: ['peer', '{port}'], session: true } " +
            '} } };',
        ),
      new RegExp(
        String.raw`target 's' client: a session client reads host, port and name from each line of its standard ` +
          String.raw`input; its command cannot take \{port\}`,
      ),
    ],
    [
      'a session flag that is not a boolean',
      () =>
        file(
          'session-yes.mjs',
          "export default { targets: { s: { client: { kind: 'command', command: ['peer'], session: 'yes' } } } };",
        ),
      /target 's' client: 'session' is true or false, got "yes"/,
    ],
    [
      'a session flag on a server',
      () =>
        file(
          'session-server.mjs',
          "export default { targets: { s: { server: { kind: 'command', command: ['peer', '{port}'], session: true } " +
            '} } };',
        ),
      /target 's' server: unknown key 'session' for a command server/,
    ],
    [
      'a misspelt key of a node client',
      () =>
        file(
          'onsecure.mjs',
          "export default { targets: { n: { client: { kind: 'node', options: () => ({}), onSecureconnect: () => {} " +
            '} } } };',
        ),
      /target 'n' client: unknown key 'onSecureconnect' for a node client; did you mean 'onSecureConnect'\?/,
    ],
    [
      'an unknown protocol',
      () =>
        file(
          'htp.mjs',
          "export default { targets: { h: { server: { kind: 'command', command: ['true'], protocol: 'htp' } } } };",
        ),
      new RegExp(
        String.raw`target 'h' server: unknown protocol 'htp'; did you mean 'http'\? ` +
          String.raw`\('raw', 'http', 'h2', 'grpc', 'postgres', 'mysql', 'redis', 'mqtt', 'ldap', 'smtp'\)`,
      ),
    ],
    [
      'an unknown protocol on a client role, misspelt',
      () =>
        file(
          'pg.mjs',
          "export default { targets: { p: { client: { kind: 'command', command: ['true'], protocol: 'postgre' } } } };",
        ),
      /target 'p' client: unknown protocol 'postgre'; did you mean 'postgres'\?/,
    ],
    [
      'a protocol option of the wrong kind',
      () =>
        file(
          'mq.mjs',
          "export default { targets: { m: { server: { kind: 'command', command: ['true'], protocol: { name: 'mqtt', " +
            'version: 3 } } } } };',
        ),
      /target 'm' server: protocol 'mqtt' version must be 4 \(MQTT 3\.1\.1\) or 5 \(MQTT 5\.0\), got 3/,
    ],
    [
      'an unknown option of a protocol',
      () =>
        file(
          'hdr.mjs',
          "export default { targets: { h: { server: { kind: 'command', command: ['true'], protocol: { name: 'http', " +
            'header: {} } } } } };',
        ),
      new RegExp(
        String.raw`target 'h' server: protocol 'http' takes 'path', 'method', 'headers'; unknown 'header' ` +
          String.raw`\(did you mean 'headers'\?\)`,
      ),
    ],
    [
      'a misspelt key of a target',
      () =>
        file(
          'waiver.mjs',
          "export default { targets: { w: { server: { kind: 'node', options: () => ({}) }, waiver: {} } } };",
        ),
      /target 'w': unknown key 'waiver'; did you mean 'waive'\?/,
    ],
    [
      "a target's version command as one string",
      () =>
        file(
          'version.mjs',
          "export default { targets: { v: { server: { kind: 'node', options: () => ({}) }, version: 'nginx -v' } } };",
        ),
      /target 'v': 'version' is a command, an argv list of non-empty strings/,
    ],
  ];
  // Each case through what a run does before its first probe (the config path, the load, its
  // validation, the preflight of every role), in this process: the line a run prints is this message.
  let pki: Pki;
  beforeAll(async () => {
    pki = await issuePki(4242, Date.now(), 'ecdsa-p256');
  });
  const refusal = async (file: string): Promise<string> => {
    try {
      const resolved = configPath({ MTLS_CONFIG: file });
      preflight(await loadConfig(resolved), pki, resolved);
    } catch (err) {
      if ((err as Error).name === 'ConfigError') return (err as Error).message;
      throw err;
    }
    return '(accepted)';
  };
  for (const [name, make, message] of cases) {
    it(name, async () => {
      expect(await refusal(make())).toMatch(message);
    });
  }
  // And end to end, one case per place a run refuses (the config path, the load, the validation,
  // the preflight): exit 2, the message on one line, no stack trace, no probe.
  const endToEnd = ['a missing file', 'a syntax error', 'a misspelt key of a node server', 'options() that throws'];
  for (const [name, make, message] of cases.filter(([n]) => endToEnd.includes(n))) {
    it(`${name}, through vitest run: exit 2 with that line`, async () => {
      const run = await runSuite({ MTLS_CONFIG: make() }, [], 30_000);
      expect(run.code, run.output).toBe(2);
      expect(run.output).toMatch(message);
      expect(run.output).toMatch(/^mtls-conformance: config|^mtls-conformance: MTLS_CONFIG|^mtls-conformance: target/m);
      expect(run.output, 'no stack trace').not.toMatch(/^\s+at /m);
      expect(run.report, 'no probe ran').toBeUndefined();
    });
  }
  it('a refused run leaves no bundle of vitest.config.ts in node_modules/.vite-temp', async () => {
    const temp = path.join(REPO_ROOT, 'node_modules/.vite-temp');
    const list = () => new Set(existsSync(temp) ? readdirSync(temp) : []);
    const before = list();
    const run = await runSuite({ MTLS_CONFIG: file('refused.mjs', 'export const targets = {};') }, [], 30_000);
    expect(run.code, run.output).toBe(2);
    // Another run's bundle lives only while its config loads: what outlasts a pause is left behind.
    const after = [...list()].filter((f) => !before.has(f));
    await new Promise((r) => setTimeout(r, 5000));
    const now = list();
    expect(after.filter((f) => now.has(f))).toEqual([]);
  });
  it('names every case it runs end to end', () => {
    expect(cases.filter(([n]) => endToEnd.includes(n))).toHaveLength(endToEnd.length);
  });
});

describe('nothing ran is a failure', () => {
  it('-t that matches no check: exit 1, saying no check ran and why', async () => {
    const run = await runSuite({}, ['-t', 'no-such-check-anywhere'], 120_000);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.output).toMatch(
      new RegExp(
        String.raw`^mtls-conformance: no check ran: the test-name filter \(-t\) \/no-such-check-anywhere\/ ` +
          String.raw`matched no check's name`,
        'm',
      ),
    );
  });

  it('--tags-filter that matches no check: exit 1', async () => {
    const run = await runSuite({}, ['--tags-filter', 'strict and baseline'], 120_000);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.output).toMatch(
      /^mtls-conformance: no check ran: the tag filter \(--tags-filter\) 'strict and baseline' matched no check/m,
    );
  });

  it('a spec path that matches no spec file: exit 1', async () => {
    const run = await runSuite({}, ['specs/no-such-area'], 120_000);
    expect(run.code, run.output.slice(-2000)).toBe(1);
    expect(run.output).toMatch(
      /^mtls-conformance: no check ran: no spec file matched the path filter 'specs\/no-such-area'/m,
    );
  });
});

describe('a fixed port held by another process ends the run at once', () => {
  // A forgotten development server: it accepts connections and never answers.
  const squatter = net.createServer((socket) => {
    socket.on('error', () => {});
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    port = (squatter.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  for (const role of ['server', 'client'] as const) {
    it(`a ${role} program on it: exit 2, one line naming the port and the holder`, async () => {
      const command =
        role === 'server'
          ? "['openssl', 's_server', '-accept', '127.0.0.1:{port}', '-cert', '{cert}', '-key', '{key}', '-CAfile', " +
            "'{ca}', '-Verify', '1', '-rev']"
          : "['openssl', 's_client', '-connect', '127.0.0.1:{port}', '-CAfile', '{ca}', '-cert', '{cert}', '-key', " +
            "'{key}']";
      const f = file(
        `squatted-${role}.mjs`,
        `export default { targets: { squatted: { ${role}: { kind: 'command', port: ${port}, command: ${command} } } ` +
          `} };`,
      );
      // Bounded generously: the run must end by itself within seconds, whatever the holder does.
      const run = await runSuite({ MTLS_CONFIG: f }, [], 60_000);
      expect(run.timedOut, 'the run had to be killed').toBe(false);
      expect(run.code, run.output.slice(-2000)).toBe(2);
      expect(run.output).toMatch(
        new RegExp(
          `^mtls-conformance: config .*squatted-${role}\\.mjs: target 'squatted': port ${port} is already in use ` +
            `\\(pid ${process.pid}: .*\\), by a process that is not this run's`,
          'm',
        ),
      );
      expect(run.output, 'no stack trace').not.toMatch(/^\s+at /m);
    });
  }
});

describe('--project names targets', () => {
  it('a --project that names no target: one line listing the targets, exit 2', async () => {
    const run = await runSuite({}, ['--project', 'nope'], 30_000);
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(
      /^mtls-conformance: --project nope: no target of .*mtls\.config\.ts is named so; its targets: reference$/m,
    );
    expect(run.output, 'no stack trace').not.toMatch(/^\s+at /m);
  });

  it('with MTLS_KEY=all, --project reference selects reference/* (both key types)', async () => {
    // One spec file is enough to show which projects ran.
    const run = await runSuite({ MTLS_KEY: 'all' }, ['--project', 'reference', 'specs/confidentiality'], 120_000);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(run.report?.targets).toEqual(['reference/ecdsa-p256', 'reference/rsa-2048']);
  });
});

describe('MTLS_FILES: how the checks are split into vitest files', () => {
  it('target: one file per project runs the same cells, with the same verdicts, as one file per area', async () => {
    const env = { MTLS_SEED: '4242' };
    const [byArea, byTarget] = await Promise.all([
      runSuite(env, [], 180_000),
      runSuite({ ...env, MTLS_FILES: 'target' }, [], 180_000),
    ]);
    expect(byArea.code, byArea.output.slice(-2000)).toBe(0);
    expect(byTarget.code, byTarget.output.slice(-2000)).toBe(0);
    expect(byArea.output).toMatch(/vitest's files 11 passed \(11\)/);
    expect(byTarget.output).toMatch(/vitest's files 1 passed \(1\)/);
    const cells = (r: typeof byArea) =>
      r.report!.results.map((c) => `${c.id} ${c.target} ${c.version}: ${c.verdict}`).sort();
    expect(cells(byTarget)).toEqual(cells(byArea));
    expect(cells(byArea).length).toBeGreaterThan(100);
  });

  it('target, with a path filter: the spec files it names run, as files of their own', async () => {
    const run = await runSuite({ MTLS_FILES: 'target' }, ['specs/confidentiality'], 120_000);
    expect(run.code, run.output.slice(-2000)).toBe(0);
    expect(run.output).toMatch(/vitest's files 1 passed \(1\)/);
    expect(new Set(run.report!.results.map((r) => r.area))).toEqual(new Set(['confidentiality']));
  });

  it('longestFirst: the longest last time first, unknown ones before them, ties in the given order', () => {
    const last: Record<string, number | undefined> = { a: 10, b: undefined, c: 30, d: 10, e: undefined };
    expect(longestFirst(['a', 'b', 'c', 'd', 'e'], (f) => last[f])).toEqual(['b', 'e', 'c', 'a', 'd']);
  });
});

describe('bad environment settings end the run the same way', () => {
  const cases: Array<[env: Record<string, string>, message: RegExp]> = [
    [
      { MTLS_KEY: 'rsa-1024' },
      /^mtls-conformance: MTLS_KEY: unknown key type "rsa-1024"; expected rsa-2048, ecdsa-p256/m,
    ],
    [{ MTLS_PROFILE: 'lenient' }, /^mtls-conformance: MTLS_PROFILE must be baseline or strict, got "lenient"/m],
    [{ MTLS_SEED: 'abc' }, /^mtls-conformance: MTLS_SEED must be a non-negative integer, got "abc"/m],
    [{ MTLS_FILES: 'targets' }, /^mtls-conformance: MTLS_FILES must be area .* or target .*, got "targets"/m],
  ];
  for (const [env, message] of cases) {
    it(
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      async () => {
        const run = await runSuite(env, [], 30_000);
        expect(run.code, run.output).toBe(2);
        expect(run.output).toMatch(message);
        expect(run.output, 'no stack trace').not.toMatch(/^\s+at /m);
        expect(run.report, 'no probe ran').toBeUndefined();
      },
    );
  }
});
