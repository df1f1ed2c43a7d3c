/**
 * Which TLS versions each role of a target speaks. A target that refuses TLS 1.2 outright (a
 * TLS 1.3-only server) is not failing the TLS 1.2 properties: they do not apply to it. A version
 * counts as refused only on evidence (a protocol_version alert or its error), and only when the
 * same role accepts the other version; a role that accepts neither is broken, and its checks
 * run and fail.
 */
import type { TestContext } from 'vitest';
import { versionRefusal, type Outcome } from '../probe.js';
import type { CommandServer } from '../targets/command.js';
import { TLS_VERSIONS, type TlsVersion } from '../tls.js';
import { CheckContext, type TargetUnderTest } from './context.js';

type Role = 'server' | 'client';
/** Per role and version: undefined when the version applies, else why it does not. */
export type VersionSupport = Partial<Record<Role, Partial<Record<TlsVersion, string>>>>;

const CACHE = Symbol.for('mtls-conformance.version-support');
const cache = ((globalThis as Record<symbol, unknown>)[CACHE] ??= new Map<string, Promise<VersionSupport>>()) as Map<string, Promise<VersionSupport>>;

async function probeRole(target: TargetUnderTest, role: Role, version: TlsVersion, commandServers: Map<string, CommandServer>): Promise<Outcome> {
  // Outside any check: the outcome is this module's alone, recorded in no test.
  const t = new CheckContext(target, version, { task: { meta: {} } } as unknown as TestContext, commandServers);
  return role === 'server' ? t.server('version support', { client: 'client' }) : t.client('version support', { server: 'server' });
}

export function versionSupport(target: TargetUnderTest, configFile: string, commandServers: Map<string, CommandServer>): Promise<VersionSupport> {
  const key = `${configFile}|${target.name}|${target.key}`;
  let found = cache.get(key);
  if (!found) {
    found = (async () => {
      const support: VersionSupport = {};
      for (const role of ['server', 'client'] as const) {
        if (!target.config[role]) continue;
        const outcomes = new Map<TlsVersion, Outcome>();
        for (const version of TLS_VERSIONS) outcomes.set(version, await probeRole(target, role, version, commandServers));
        for (const version of TLS_VERSIONS) {
          const refusal = versionRefusal(outcomes.get(version)!);
          const other = TLS_VERSIONS.find((v) => v !== version)!;
          if (refusal && outcomes.get(other)!.verdict === 'accepted') {
            (support[role] ??= {})[version] = `the target's ${role} does not speak ${version} (${refusal}) and accepts ${other}: properties under ${version} do not apply to it`;
          }
        }
      }
      return support;
    })();
    cache.set(key, found);
  }
  return found;
}
