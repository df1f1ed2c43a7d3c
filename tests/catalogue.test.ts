/** The catalogue: unique ids, and one spec file per area that names each of its ids. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import { REPO_ROOT } from '../harness/config/load.js';
import { renderProperties } from '../harness/cli/docs.js';
import { CLAUSES, KIND_WORDS, LEVEL_OF } from '../harness/clauses.js';
import { REMEDIES, STACKS } from '../harness/remedies.js';

const TUTORIAL = path.join(REPO_ROOT, '../shared/seed/mtls-tutorial.md');

describe('property catalogue', () => {
  it('has unique ids, each with a statement, a source and a level', () => {
    expect(new Set(CATALOGUE.map((p) => p.id)).size).toBe(CATALOGUE.length);
    for (const p of CATALOGUE) {
      expect(p.statement.length, p.id).toBeGreaterThan(20);
      expect(p.source, p.id).toBeTruthy();
      expect(['baseline', 'strict']).toContain(p.level);
    }
  });

  it('every property rests on a quoted sentence whose kind carries its level', () => {
    for (const p of CATALOGUE) {
      const { clause } = p;
      expect(clause.text.length, `${p.id}: the quote`).toBeGreaterThan(20);
      expect(clause.section, `${p.id}: the section`).toMatch(/^(RFC \d+ §|mtls-tutorial\.md|CA\/Browser Forum)/);
      // baseline: a MUST of an RFC, or the tutorial's own words; strict: a SHOULD or a policy rule.
      expect(p.level, `${p.id} (${clause.kind})`).toBe(LEVEL_OF[clause.kind]);
      const words = KIND_WORDS[clause.kind];
      if (words) expect(clause.text, `${p.id}: a ${clause.kind} clause says so`).toMatch(words);
      // The tutorial sits beside the repository where the project is developed and in CI.
      if (clause.kind === 'document' && existsSync(TUTORIAL))
        expect(readFileSync(TUTORIAL, 'utf8'), `${p.id}: quoted from the tutorial`).toContain(clause.text);
    }
    // Every clause names a property (no stale entries).
    for (const key of Object.keys(CLAUSES))
      expect(
        CATALOGUE.some((p) => p.id === key || p.id.replace(/\.(server|client)$/, '') === key),
        key,
      ).toBe(true);
  });

  it("the properties that moved level say from which, and they are the audit's moves", () => {
    expect(
      CATALOGUE.filter((p) => p.movedFrom)
        .map((p) => `${p.id}: ${p.movedFrom} -> ${p.level}`)
        .sort(),
    ).toEqual([
      'crypto.reject-sha1-signature.client: baseline -> strict',
      'crypto.reject-sha1-signature.server: baseline -> strict',
      'host.reject-wildcard-tld: baseline -> strict',
    ]);
  });

  it('every property says how to fix it, in words of its own; no stack outside the list', () => {
    const fixes = CATALOGUE.map((p) => p.remedy.fix);
    for (const p of CATALOGUE) expect(p.remedy.fix.length, p.id).toBeGreaterThan(20);
    const repeated = fixes.filter((f, i) => fixes.indexOf(f) !== i);
    expect(repeated, 'a fix text shared by two properties').toEqual([]);
    expect(Object.keys(REMEDIES).sort()).toEqual(CATALOGUE.map((p) => p.id).sort());
    for (const p of CATALOGUE)
      for (const stack of Object.keys(p.remedy.stacks)) expect(STACKS, `${p.id}: ${stack}`).toContain(stack);
  });

  it('every area has its spec file', () => {
    for (const area of new Set(CATALOGUE.map((p) => p.area))) {
      expect(existsSync(path.join(REPO_ROOT, 'specs', `${area}.spec.ts`)), area).toBe(true);
    }
  });

  it("every property id appears in its area's spec file", () => {
    for (const p of CATALOGUE) {
      const spec = readFileSync(path.join(REPO_ROOT, 'specs', `${p.area}.spec.ts`), 'utf8');
      const [prefix, rest] = [p.id.split('.')[0], p.id.split('.').slice(1).join('.')];
      // ids may be spelled out or composed with their role, as in `conf.wire-encrypted.${role}`
      // or, for a property of both roles, its stem named in a table the spec loops over per role
      const stem = p.id.replace(/\.(server|client)$/, '');
      const spelled =
        spec.includes(`'${p.id}'`) ||
        spec.includes(`\`${prefix}.${rest.replace(/\.(server|client)$/, '.${role}')}\``) ||
        (stem !== p.id && spec.includes(`'${stem}'`));
      expect(spelled, p.id).toBe(true);
    }
  });

  it('docs/properties.md is the catalogue as it is (npm run docs), and lists every property with its level', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/properties.md'), 'utf8');
    expect(doc, 'docs/properties.md is stale: npm run docs').toBe(renderProperties());
    for (const p of CATALOGUE) {
      expect(doc.includes(`| \`${p.id}\` | ${p.level} |`), p.id).toBe(true);
      expect(doc.includes(p.clause.text.replaceAll('|', '\\|')), `${p.id}: its quote`).toBe(true);
      expect(doc.includes(p.remedy.fix.replaceAll('|', '\\|')), `${p.id}: its fix`).toBe(true);
    }
  });
});
