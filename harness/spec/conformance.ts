/**
 * How a spec file declares its checks: `conformance(area, (check) => { check(id, fn) ... })`.
 * Each check runs once per TLS version, named after its catalogue id, and only when the target
 * has the role the property is about. A closing test fails if the area leaves a catalogued
 * property (for a role the target has) without a check.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE, property, type Area } from '../catalogue.js';
import { TLS_VERSIONS } from '../tls.js';
import { CheckContext, targetUnderTest } from './context.js';
import './matchers.js';

export type CheckBody = (t: CheckContext, expectation: typeof expect) => Promise<void>;
export type Check = (id: string, body: CheckBody) => void;

export async function conformance(area: Area, declare: (check: Check) => void): Promise<void> {
  const target = await targetUnderTest();
  const hasRole = (role: 'server' | 'client') => target.config[role] !== undefined;
  const declared: string[] = [];
  const checks: Array<{ id: string; body: CheckBody }> = [];
  declare((id, body) => {
    const prop = property(id);
    if (prop.area !== area) throw new Error(`check '${id}' belongs to area '${prop.area}', not '${area}'`);
    declared.push(id);
    if (hasRole(prop.role)) checks.push({ id, body });
  });

  describe(`${area} [${target.name}]`, () => {
    for (const version of checks.length ? TLS_VERSIONS : []) {
      describe.concurrent(version, () => {
        for (const { id, body } of checks) {
          it(`${id}: ${property(id).statement}`, async (ctx) => {
            ctx.task.meta.mtls = { id, target: target.name, version, probes: [] };
            await body(new CheckContext(target, version, ctx), ctx.expect);
          });
        }
      });
    }
    it(`catalogue: every ${area} property has a check`, () => {
      const missing = CATALOGUE.filter((p) => p.area === area && !declared.includes(p.id)).map((p) => p.id);
      expect(missing, `properties of ${area} without a check`).toEqual([]);
    });
  });
}
