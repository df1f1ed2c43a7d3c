/**
 * Which TLS versions each role of a target speaks. A target that refuses TLS 1.2 outright (a
 * TLS 1.3-only server) is not failing the TLS 1.2 properties: they do not apply to it. A version
 * counts as refused only on evidence (a protocol_version alert or its error), and only when the
 * same role accepts the other version; a role that accepts neither is broken, and its checks
 * run and fail.
 */
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
  const t = new CheckContext(target, version, undefined, commandServers);
  return role === 'server' ? t.server('version support', { client: 'client' }) : t.client('version support', { server: 'server' });
}

export function versionSupport(target: TargetUnderTest, configFile: string, commandServers: Map<string, CommandServer>): Promise<VersionSupport> {
  const key = `${configFile}|${target.name}|${target.key}`;
  let found = cache.get(key);
  if (!found) {
    found = (async () => {
      const support: VersionSupport = {};
      const roles = (['server', 'client'] as const).filter((role) => target.config[role]);
      // Programs serve one probe at a time; in-process roles are probed all at once.
      const sequential = roles.some((role) => target.config[role]!.kind === 'command');
      const pairs = roles.flatMap((role) => TLS_VERSIONS.map((version) => [role, version] as const));
      const outcomes = new Map<string, Outcome>();
      const run = async ([role, version]: readonly [Role, TlsVersion]) => { outcomes.set(`${role} ${version}`, await probeRole(target, role, version, commandServers)); };
      if (sequential) { for (const pair of pairs) await run(pair); } else await Promise.all(pairs.map(run));
      for (const [role, version] of pairs) {
        const refusal = versionRefusal(outcomes.get(`${role} ${version}`)!);
        const other = TLS_VERSIONS.find((v) => v !== version)!;
        if (refusal && outcomes.get(`${role} ${other}`)!.verdict === 'accepted') {
          (support[role] ??= {})[version] = `the target's ${role} does not speak ${version} (${refusal}) and accepts ${other}: properties under ${version} do not apply to it`;
        }
      }
      return support;
    })();
    cache.set(key, found);
  }
  return found;
}
