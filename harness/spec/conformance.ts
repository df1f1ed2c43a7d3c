/**
 * How a spec file declares its checks: `conformance(area, (check) => { check(id, fn) ... })`.
 * Each check runs once per TLS version, named after its catalogue id, and only when the target
 * has the role the property is about. A closing test fails if the area leaves a catalogued
 * property (for a role the target has) without a check.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CATALOGUE, property, type Area } from '../catalogue.js';
import { TLS_VERSIONS } from '../tls.js';
import type { TargetConfig } from '../config/types.js';
import { DEFAULT_HOST, takesName, type CommandServer } from '../targets/command.js';
import type { KeyType } from '../pki/issue.js';
import { dialOf } from '../probe.js';
import { CheckContext, targetUnderTest } from './context.js';
import './matchers.js';
import { profileFromEnv } from './profile.js';
import { versionSupport, type VersionSupport } from './versions.js';

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

  const commandServers = new Map<string, CommandServer>();
  afterAll(async () => { await Promise.all([...commandServers.values()].map((s) => s.stop())); });
  // Programs serve one probe at a time (some serve one connection, some own a fixed port).
  const inParallel = target.config.server?.kind !== 'command' && target.config.client?.kind !== 'command';
  const group = inParallel ? describe.concurrent : describe;

  const failStrict = profileFromEnv() === 'strict';
  describe(`${area} [${target.name}${target.key === 'rsa-2048' ? '' : `, ${target.key}`}]`, () => {
    let support: VersionSupport = {};
    beforeAll(async () => { if (checks.length) support = await versionSupport(target, inject('mtlsConfigPath'), commandServers); }, 120_000);
    for (const version of checks.length ? TLS_VERSIONS : []) {
      group(version, () => {
        for (const { id, body } of checks) {
          const prop = property(id);
          if (prop.versions && !prop.versions.includes(version)) continue;
          const waived = waiverFor(target.config, id, version, target.key);
          it(`${id}: ${prop.statement}`, async (ctx) => {
            const unspoken = support[prop.role]?.[version];
            const meta = { id, target: target.name, key: target.key, version, probes: [], waived: waived ?? unspoken } as NonNullable<typeof ctx.task.meta.mtls>;
            ctx.task.meta.mtls = meta;
            if (meta.waived) ctx.skip(`waived: ${meta.waived}`);
            try {
              await body(new CheckContext(target, version, ctx, commandServers), ctx.expect);
            } catch (err) {
              // A strict property the target does not hold is a finding, reported as a warning:
              // only when the adversarial probe was accepted (anything unclear still fails).
              const last = meta.probes.at(-1);
              if (prop.level === 'strict' && !failStrict && last?.verdict === 'accepted' && last.label.startsWith('adversarial')) {
                meta.warning = `strict finding: ${last.label} was accepted: ${last.reason}`;
                return;
              }
              throw err;
            }
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

/** The target's written reason to sit a check out, or the harness's when the check cannot apply. */
export function waiverFor(config: TargetConfig, id: string, version: string, key: KeyType = 'rsa-2048'): string | undefined {
  const written = config.waive?.[`${id}@${version}`] ?? config.waive?.[`${id}@${key}`] ?? config.waive?.[id];
  if (written) return written;
  const prop = property(id);
  if (prop.keys && !prop.keys.includes(key)) return `not applicable with ${key} keys: ${prop.keysReason ?? `the check needs ${prop.keys.join(' or ')}`}`;
  const needs = prop.dial;
  const client = config.client;
  if (needs && client?.kind === 'command' && !takesName(client)) {
    const host = client.host ?? DEFAULT_HOST;
    if (needs === 'name') return `the client program verifies the host it dials (${host}) and does not take {name}; this check needs a client that verifies a name the harness gives it`;
    if (dialOf(host) !== needs) return `the client program dials ${host}; this check needs a client that dials ${needs === 'dns' ? 'a DNS name' : 'an IP address'}`;
  }
  return undefined;
}
