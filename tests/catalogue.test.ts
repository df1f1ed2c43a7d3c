/** The catalogue: unique ids, and one spec file per area that names each of its ids. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../harness/catalogue.js';
import { REPO_ROOT } from '../harness/config/load.js';
import { renderProperties } from '../harness/cli/docs.js';

describe('property catalogue', () => {
  it('has unique ids, each with a statement, a source and a level', () => {
    expect(new Set(CATALOGUE.map((p) => p.id)).size).toBe(CATALOGUE.length);
    for (const p of CATALOGUE) {
      expect(p.statement.length, p.id).toBeGreaterThan(20);
      expect(p.source, p.id).toBeTruthy();
      expect(['baseline', 'strict']).toContain(p.level);
    }
  });

  it('every area has its spec file', () => {
    for (const area of new Set(CATALOGUE.map((p) => p.area))) {
      expect(existsSync(path.join(REPO_ROOT, 'specs', `${area}.spec.ts`)), area).toBe(true);
    }
  });

  it('every property id appears in its area\'s spec file', () => {
    for (const p of CATALOGUE) {
      const spec = readFileSync(path.join(REPO_ROOT, 'specs', `${p.area}.spec.ts`), 'utf8');
      const [prefix, rest] = [p.id.split('.')[0], p.id.split('.').slice(1).join('.')];
      // ids may be spelled out or composed with their role, as in `conf.wire-encrypted.${role}`
      // or, for a property of both roles, its stem named in a table the spec loops over per role
      const stem = p.id.replace(/\.(server|client)$/, '');
      const spelled = spec.includes(`'${p.id}'`) || spec.includes(`\`${prefix}.${rest.replace(/\.(server|client)$/, '.${role}')}\``)
        || (stem !== p.id && spec.includes(`'${stem}'`));
      expect(spelled, p.id).toBe(true);
    }
  });

  it('docs/properties.md is the catalogue as it is (npm run docs), and lists every property with its level', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/properties.md'), 'utf8');
    expect(doc, 'docs/properties.md is stale: npm run docs').toBe(renderProperties());
    for (const p of CATALOGUE) expect(doc.includes(`| \`${p.id}\` | ${p.level} |`), p.id).toBe(true);
  });
});
