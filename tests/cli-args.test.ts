/** The command's own words, in process: which options reach vitest, which config runs, the starter configs. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfig, parseRunArgs } from '../harness/cli/args.js';
import { starterConfig, type StarterPart } from '../harness/cli/starter.js';
import { loadConfig } from '../harness/config/load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mtls-cli-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run options', () => {
  it('passes the options it takes to vitest, in both spellings', () => {
    expect(
      parseRunArgs([
        '--project',
        'orders',
        '--shard=1/2',
        '--reporter',
        'dot',
        '-t',
        'cauth.reject-none',
        '--tags-filter=strict',
        '--merge-reports',
        'blobs',
        '-u',
      ]),
    ).toEqual({
      vitest: [
        '--project',
        'orders',
        '--shard',
        '1/2',
        '--reporter',
        'dot',
        '-t',
        'cauth.reject-none',
        '--tags-filter',
        'strict',
        '--merge-reports=blobs',
        '-u',
      ],
      watch: false,
    });
    expect(parseRunArgs(['--update', '--watch', '--mtls-config', 'x.ts'])).toEqual({
      vitest: ['-u'],
      watch: true,
      config: 'x.ts',
    });
    expect(parseRunArgs(['--merge-reports', '--reporter', 'dot']).vitest).toEqual([
      '--merge-reports',
      '--reporter',
      'dot',
    ]);
  });

  it('refuses any other option, an argument, and an option without its value', () => {
    expect(() => parseRunArgs(['--bail'])).toThrow('unknown option --bail');
    expect(() => parseRunArgs(['--watch=false'])).toThrow('unknown option --watch=false');
    expect(() => parseRunArgs(['specs/chains'])).toThrow('unexpected argument specs/chains');
    expect(() => parseRunArgs(['--project'])).toThrow('--project needs a value');
    expect(() => parseRunArgs(['-t', ''])).toThrow('-t needs a value');
  });

  it("finds the folder's one config; none or several is bad input naming them", () => {
    const one = mkdtempSync(path.join(dir, 'one-'));
    writeFileSync(path.join(one, 'mtls.config.mjs'), 'export default {}');
    expect(findConfig(one)).toBe(path.join(one, 'mtls.config.mjs'));
    writeFileSync(path.join(one, 'mtls.config.ts'), 'export default {}');
    expect(() => findConfig(one)).toThrow(
      `several configs in ${one}: mtls.config.ts, mtls.config.mjs; pick one with --mtls-config <file>`,
    );
    const none = mkdtempSync(path.join(dir, 'none-'));
    expect(() => findConfig(none)).toThrow(`no mtls.config.* in ${none}; \`npx mtls-conformance init\` writes one`);
  });
});

describe('the starter config of init', () => {
  // Loaded as the suite loads a team's config, with the package's import pointed at this source.
  const load = async (text: string) => {
    const file = path.join(dir, `starter-${Math.random().toString(36).slice(2)}.ts`);
    const types = path.join(import.meta.dirname, '../harness/package/index.js');
    writeFileSync(file, text.replace("from 'mtls-conformance'", `from ${JSON.stringify(types)}`));
    return loadConfig(file);
  };

  for (const part of ['server', 'client', 'endpoint'] as StarterPart[]) {
    it(`--${part}: one target with that role, a valid config`, async () => {
      const config = await load(starterConfig(part));
      const [target, ...rest] = Object.values(config.targets);
      expect(rest).toEqual([]);
      expect(Object.keys(target!)).toEqual([part === 'client' ? 'client' : 'server']);
      if (part === 'endpoint') expect(target!.server?.kind).toBe('endpoint');
    });
  }

  it('without an option: all three, commented out, each valid once uncommented', async () => {
    const text = starterConfig();
    await expect(load(text)).rejects.toThrow(/'targets' is empty/);
    // The commented-out code, not the explanations: the lines that are code in the one-part configs.
    const uncommented = text.replace(/^ {4}\/\/ (?= *('my-|server:|client:|kind:|command:|'--|\}))/gm, '    ');
    const config = await load(uncommented);
    expect(Object.keys(config.targets)).toEqual(['my-server', 'my-client', 'my-endpoint']);
  });
});
