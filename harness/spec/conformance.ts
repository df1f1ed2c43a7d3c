/**
 * How a spec file declares its checks: `conformance(area, (check) => { check(id, fn) ... })`.
 * Every catalogued property of the area gets one test per TLS version, named after its id, so
 * every cell of the matrix has a verdict. This wrapper is the one place that decides a cell's
 * verdict (harness/verdicts.ts), from the probes the check recorded. A closing test fails if the
 * area leaves a catalogued property without a check.
 */
import { afterAll, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { CATALOGUE, property, tagsOf, type Area, type Level } from '../catalogue.js';
import { TLS_VERSIONS, type TlsVersion } from '../tls.js';
import type { MtlsConfig, TargetConfig } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import { fixedNameOf, stopClientSessions, type CommandServer } from '../targets/command.js';
import { dialRefusal } from '../dial.js';
import { fixedPorts, holdPorts, releasePorts } from '../targets/port-lock.js';
import type { KeyType } from '../pki/issue.js';
import { ProbeSetupError } from '../wire.js';
import type { CellVerdict } from '../verdicts.js';
import { CheckContext, NotApplicable } from './context.js';
import type { GoodExchanges, ProbeRecord, ProbeRecordMeta } from './records.js';
import { clientAuthOf, serverNameOf, type TargetUnderTest } from './target.js';
import './matchers.js';
import { profileFromEnv } from './profile.js';
import { plainReason } from './plain.js';

/** How long a spec file waits for a fixed port another spec file's programs hold: a whole file of programs. */
const PORT_WAIT_MS = 15 * 60_000;

export type CheckBody = (t: CheckContext, expectation: typeof expect) => Promise<void>;

/** `hint`: what a failed control most likely means for this check (a verify depth, a cipher list). */
export type Check = (id: string, body: CheckBody, hint?: string) => void;

let loaded: Promise<MtlsConfig> | undefined;
export async function targetUnderTest(): Promise<TargetUnderTest> {
  const name = inject('mtlsTarget');
  loaded ??= loadConfig(inject('mtlsConfigPath'), (url) => import(/* @vite-ignore */ url));
  const config = (await loaded).targets[name];
  if (!config) throw new Error(`target '${name}' is not in ${inject('mtlsConfigPath')}`);
  const key = inject('mtlsKey');
  const pki = inject('mtlsPki');
  if (!pki) throw new Error(`no PKI was issued for target '${name}' and key type ${key}`);
  return { name, config, pki, key, serverName: inject('mtlsServerName') || undefined };
}

/** A failed check, said in a few lines: the verdict, the reason, the key evidence. The reports keep the rest. */
class CheckFailure extends Error {
  constructor(verdict: CellVerdict, reason: string, detail: string) {
    super(`${verdict}: ${reason}${detail ? `\n${detail}` : ''}`);
    this.name = verdict === 'fail' ? 'PropertyFailed' : verdict === 'control failed' ? 'ControlFailed' : 'Inconclusive';
    // The stack of the harness says nothing about the target: leave it out of the console.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * The verdict of a check that threw, from what its probes showed. An accepted adversarial probe
 * is the finding whatever the control did; a rejection counts only when the control was accepted.
 */
export function classify(
  probes: ProbeRecord[],
  level: Level,
  failStrict: boolean,
  error: string,
  hint?: string,
): { verdict: CellVerdict; reason: string; probe?: ProbeRecord } {
  const finding = probes.find((p) => p.kind === 'adversarial' && p.verdict === 'accepted' && !p.ownedBy);
  if (finding) {
    const verdict = level === 'strict' && !failStrict ? 'warning' : 'fail';
    return { verdict, reason: `${finding.label} was accepted: ${finding.reason}`, probe: finding };
  }
  const control = probes.find((p) => p.kind === 'control' && p.verdict !== 'accepted');
  if (control) {
    return {
      verdict: 'control failed',
      reason: `${control.label} was ${control.verdict}: ${control.reason}${hint ? `. Hint: ${hint}` : ''}`,
      probe: control,
    };
  }
  const unclear = probes.find((p) => p.verdict === 'inconclusive');
  if (unclear) return { verdict: 'inconclusive', reason: `${unclear.label}: ${unclear.reason}`, probe: unclear };
  return { verdict: 'fail', reason: error };
}

function keyEvidence(p: ProbeRecord | undefined): string {
  if (!p) return '';
  const e = p.evidence;
  const bits = [
    e.negotiated?.version && `negotiated ${e.negotiated.version} ${e.negotiated.cipher ?? ''}`.trim(),
    e.negotiated?.alert?.s2c && `alert from the server: ${e.negotiated.alert.s2c}`,
    e.negotiated?.alert?.c2s && `alert from the client: ${e.negotiated.alert.c2s}`,
    e.server.authorizationError && `server authorizationError ${e.server.authorizationError}`,
    e.client.authorizationError && `client authorizationError ${e.client.authorizationError}`,
    e.server.error && `server ${e.server.error}`,
    e.client.error && `client ${e.client.error}`,
    `application bytes: ${e.server.delivered} to the server, ${e.client.received} to the client`,
  ].filter(Boolean);
  return `  evidence (${p.label}): ${bits.join('; ')}`;
}

/**
 * `oneAtATime`: the area's checks must not overlap, even on in-process targets: checks about
 * resumption depend on the session a client under test keeps, which is one per client, not one
 * per check.
 */
export async function conformance(
  area: Area,
  declare: (check: Check) => void,
  options: { oneAtATime?: boolean } = {},
): Promise<void> {
  const target = await targetUnderTest();
  const declared: string[] = [];
  const checks: Array<{ id: string; body: CheckBody; hint?: string }> = [];
  declare((id, body, hint) => {
    const prop = property(id);
    if (prop.area !== area) throw new Error(`check '${id}' belongs to area '${prop.area}', not '${area}'`);
    declared.push(id);
    checks.push({ id, body, hint });
  });

  const commandServers = new Map<string, CommandServer>();
  // Programs on a fixed port take turns on it with other spec files (port-lock.ts); the wait is
  // bounded by the longest a spec file of programs may take, not by one check's timeout.
  const ports = fixedPorts(target.config);
  // Programs serve one probe at a time (some serve one connection, some own a fixed port).
  const inParallel =
    !options.oneAtATime && target.config.server?.kind !== 'command' && target.config.client?.kind !== 'command';
  const group = inParallel ? describe.concurrent : describe;
  const exchanges = inject('mtlsExchanges') ?? {};

  const failStrict = profileFromEnv() === 'strict';
  describe(`${area} [${target.name}${target.key === 'rsa-2048' ? '' : `, ${target.key}`}]`, () => {
    // The area's hooks, not the file's: a file may hold every area (MTLS_FILES=target), and each
    // area's programs stop, and its port is released, when the area ends.
    if (ports.length) beforeAll(() => holdPorts(ports, commandServers), PORT_WAIT_MS);
    afterAll(async () => {
      try {
        await Promise.all([...commandServers.values()].map((s) => s.stop()));
        await stopClientSessions();
      } finally {
        releasePorts(commandServers);
      }
    });
    for (const version of TLS_VERSIONS) {
      group(version, () => {
        for (const { id, body, hint } of checks) {
          const prop = property(id);
          it(`${id}: ${prop.statement}`, { tags: tagsOf(prop) }, async (ctx) => {
            const meta: ProbeRecordMeta = {
              id,
              target: target.name,
              key: target.key,
              version,
              probes: [],
              notes: [],
              seed: target.pki.seed,
            };
            ctx.task.meta.mtls = meta;
            const skip = skipped(target, id, version, exchanges);
            if (skip) {
              Object.assign(meta, skip);
              ctx.skip(`${skip.verdict}: ${skip.reason}`);
            }
            let failure: CheckFailure | undefined;
            try {
              await body(new CheckContext(target, version, ctx, commandServers, prop), ctx.expect);
              meta.verdict = 'pass';
            } catch (err) {
              if (err instanceof NotApplicable) {
                Object.assign(meta, { verdict: 'n/a', reason: err.message });
              } else if (err instanceof ProbeSetupError) {
                // The harness's own failure shows nothing about the target: not a failed property.
                Object.assign(meta, {
                  verdict: 'inconclusive',
                  reason: `the harness could not run a probe: ${err.message}`,
                });
                failure = new CheckFailure('inconclusive', meta.reason!, '');
              } else {
                // A sentence about the target: the check's own finding, or an assertion said in plain words.
                const firstLine = plainReason(err);
                const { verdict, reason, probe } = classify(meta.probes, prop.level, failStrict, firstLine, hint);
                Object.assign(meta, { verdict, reason });
                // The reason, then the assertion that failed when it says more, then the key evidence.
                if (verdict !== 'warning')
                  failure = new CheckFailure(
                    verdict,
                    reason,
                    [
                      reason.includes(firstLine) || probe?.kind === 'adversarial' ? '' : `  ${firstLine}`,
                      keyEvidence(probe ?? meta.probes.at(-1)),
                    ]
                      .filter(Boolean)
                      .join('\n'),
                  );
              }
            }
            await report(ctx, meta);
            if (failure) throw failure;
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

/** What vitest shows of a verdict it has no state for: a strict finding passes with an annotation; n/a is skipped. */
async function report(ctx: TestContext, meta: ProbeRecordMeta): Promise<void> {
  if (meta.verdict === 'warning')
    await ctx.annotate(`strict finding (${meta.target} ${meta.version}): ${meta.reason}`, 'warning');
  if (meta.verdict === 'n/a') ctx.skip(`n/a: ${meta.reason}`);
}

/** Why a check does not run on this target: the user's waiver, the harness's n/a, or a failed good exchange. */
function skipped(
  target: TargetUnderTest,
  id: string,
  version: TlsVersion,
  exchanges: GoodExchanges,
): { verdict: CellVerdict; reason: string } | undefined {
  const prop = property(id);
  if (!target.config[prop.role]) return { verdict: 'n/a', reason: `the target has no ${prop.role} role` };
  const written = writtenWaiver(target.config, id, version, target.key);
  if (written) return { verdict: 'waived', reason: written };
  if (prop.needsAdmits && !target.config.server?.admits) {
    return {
      verdict: 'n/a',
      reason: "the server declares no 'admits': which client identities it admits is not known",
    };
  }
  if (prop.judgesClientCertificates && clientAuthOf(target) === 'none') {
    return {
      verdict: 'n/a',
      reason: `the name ${serverNameOf(target)} is declared without client authentication (clientAuth: 'none')`,
    };
  }
  const na = notApplicable(target.config, id, version, target.key);
  if (na) return { verdict: 'n/a', reason: na };
  const exchange = exchanges?.[prop.role]?.[version];
  return exchange ? { ...exchange } : undefined;
}

export function writtenWaiver(
  config: TargetConfig,
  id: string,
  version: string,
  key: KeyType = 'rsa-2048',
): string | undefined {
  return config.waive?.[`${id}@${version}`] ?? config.waive?.[`${id}@${key}`] ?? config.waive?.[id];
}

/** The harness's reason why a check cannot apply to this target, version or key type. */
export function notApplicable(
  config: TargetConfig,
  id: string,
  version: string,
  key: KeyType = 'rsa-2048',
): string | undefined {
  const prop = property(id);
  if (prop.versions && !prop.versions.includes(version as TlsVersion))
    return `checked under ${prop.versions.join(', ')} only`;
  if (prop.keys && !prop.keys.includes(key))
    return `not applicable with ${key} keys: ${prop.keysReason ?? `the check needs ${prop.keys.join(' or ')}`}`;
  const refusal = config.client ? dialRefusal(prop.dial, fixedNameOf(config.client)) : undefined;
  if (refusal) return refusal;
  return undefined;
}
