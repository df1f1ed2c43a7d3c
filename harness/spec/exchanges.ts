/**
 * The good exchange, once per run for each target, key type, role and TLS version, before any
 * check: the good certificate both ways, the sentinel across. What it shows decides for every
 * check of that role and version at once:
 * - accepted: the checks run;
 * - refused as a version (a protocol_version alert or its error) while the other version is
 *   accepted: the checks are n/a (a TLS 1.3-only server is not failing TLS 1.2);
 * - anything else: the checks are `not run`, and the root cause is printed once, with a hint,
 *   instead of as 50 near-identical failures. A role that speaks neither version is broken.
 * Runs in vitest's main process (global setup), so every spec file and worker shares it.
 */
import { TargetError } from '../targets/target-error.js';
import { versionRefusal, type Outcome } from '../probe.js';
import { stopClientSessions, type CommandServer } from '../targets/command.js';
import { ensurePortsFree, fixedPorts, holdPorts, releasePorts } from '../targets/port-lock.js';
import { TLS_VERSIONS, type TlsVersion } from '../tls.js';
import { CheckContext, NotApplicable } from './context.js';
import type { GoodExchanges } from './records.js';
import { postHandshakeOnly, type TargetUnderTest } from './target.js';

type Role = 'server' | 'client';
type Attempt = { outcome: Outcome } | { error: string };

async function attempt(
  target: TargetUnderTest,
  role: Role,
  version: TlsVersion,
  commandServers: Map<string, CommandServer>,
): Promise<Attempt> {
  const t = new CheckContext(target, version, undefined, commandServers);
  try {
    return {
      outcome:
        role === 'server'
          ? await t.server('good exchange', {
              client: 'client',
              // A server that asks after the handshake, on TLS 1.3: only a client that answers can show it.
              ...(postHandshakeOnly(target, version) ? { postHandshake: true as const } : {}),
            })
          : await t.client('good exchange', { server: 'server' }),
    };
  } catch (err) {
    if (err instanceof TargetError || err instanceof NotApplicable) return { error: err.message };
    throw err;
  }
}

/** The most likely cause of a failed good exchange, from its evidence: one line for a person. */
export function hintFor(role: Role, a: Attempt): string {
  if ('error' in a) {
    if (/did not listen/.test(a.error))
      return (
        'the program never listened on its port: does it take {port} (and {host}), or need longer to start ' +
        '(timeoutMs)?'
      );
    if (/exited .* before listening/.test(a.error))
      return 'the program exited before it listened: its last output above says why';
    if (/not found|failed to start/.test(a.error)) return 'the program could not be started';
    return 'see the error above';
  }
  const e = a.outcome.evidence;
  const serverSpoke = /s2c handshake/.test(e.wire.records) || /s2c alert/.test(e.wire.records);
  const program = role === 'server' ? e.server.output !== undefined : e.client.output !== undefined;
  const exit = role === 'server' ? e.server.exit : e.client.exit;
  if (role === 'server' && !serverSpoke && e.negotiated?.alert?.s2c === undefined) {
    if (exit !== undefined)
      return `the server program exited (${exit}) before it answered the ClientHello: its last output says why`;
    return 'the server accepted the TCP connection but never answered the ClientHello: does it speak TLS on this port?';
  }
  if (role === 'client' && !/c2s handshake/.test(e.wire.records))
    return 'the client program never sent a ClientHello: does it connect to {host}:{port}?';
  const alert = e.negotiated?.alert?.s2c ?? e.negotiated?.alert?.c2s;
  const auth = e.server.authorizationError ?? e.client.authorizationError;
  if (a.outcome.verdict === 'rejected' && (alert || auth)) {
    const peer = role === 'server' ? 'client' : 'server';
    return (
      `the ${role} refused the good ${peer} certificate ` +
      `(${[alert && `alert ${alert}`, auth].filter(Boolean).join(', ')}): does it trust the run's CA ({ca}), and ` +
      `present {cert} with {key}?`
    );
  }
  const status = e.httpStatus;
  if (status !== undefined && (status < 200 || status >= 300)) return httpHint(status);
  if (program && a.outcome.verdict === 'inconclusive') {
    return (
      `the TLS handshake went through but the sentinel never reached the ${role} application: does the program ` +
      `print what it receives, or answer ` +
      `it${role === 'server' ? " (s_server: -rev or -www; nginx: protocol: 'http')" : ''}?`
    );
  }
  if (exit !== undefined && exit !== 0)
    return `the ${role} program exited (${exit}) during the exchange: its last output says why`;
  return 'see the evidence of the good exchange';
}

/** What an HTTP answer that is neither acceptance nor a certificate refusal most likely means. */
function httpHint(status: number): string {
  if (status === 403 || status === 401)
    return (
      `the server answered ${status} to the good client certificate: TLS let the client in, and the ` +
      `application refused the request: does it authorize the run's client identity (its CN and SANs; admits), or ` +
      `need another path?`
    );
  if (status === 404)
    return (
      'the server answered 404: the request reached the application, which serves nothing at the path the ' +
      'probe asks for; serve that path (or /), or point the probe at one that exists'
    );
  if (status === 421)
    return (
      'the server answered 421 Misdirected Request: the Host it was asked for is not the name it was reached ' +
      "by: give the server role its 'name'"
    );
  if (status >= 500)
    return (
      `the server answered ${status}: the request got through TLS and the server failed to serve it (an ` +
      `upstream or application behind it is down?); its error log says why`
    );
  if (status >= 300 && status < 400)
    return `the server answered ${status}, a redirect: the probe does not follow it; serve the path directly`;
  return `the server answered ${status}: neither a success nor a refusal of the certificate`;
}

function describeAttempt(a: Attempt): string {
  return 'error' in a ? a.error : `${a.outcome.verdict}: ${a.outcome.reason}`;
}

export interface ExchangeResult {
  exchanges: GoodExchanges;
  rootCauses: string[];
}

export async function goodExchanges(target: TargetUnderTest, configFile: string): Promise<ExchangeResult> {
  const exchanges: GoodExchanges = {};
  const rootCauses: string[] = [];
  const roles = (['server', 'client'] as const).filter((role) => target.config[role]);
  const commandServers = new Map<string, CommandServer>();
  try {
    await holdPorts(fixedPorts(target.config), commandServers);
    await ensurePortsFree(fixedPorts(target.config), target.name, configFile);
    // Programs serve one probe at a time; in-process roles are probed all at once.
    const sequential = roles.some((role) => target.config[role]!.kind === 'command');
    const pairs = roles.flatMap((role) => TLS_VERSIONS.map((version) => [role, version] as const));
    const attempts = new Map<string, Attempt>();
    const run = async ([role, version]: readonly [Role, TlsVersion]) => {
      attempts.set(`${role} ${version}`, await attempt(target, role, version, commandServers));
    };
    if (sequential) {
      for (const pair of pairs) await run(pair);
    } else await Promise.all(pairs.map(run));
    for (const [role, version] of pairs) {
      const a = attempts.get(`${role} ${version}`)!;
      if ('outcome' in a && a.outcome.verdict === 'accepted') continue;
      const other = TLS_VERSIONS.find((v) => v !== version)!;
      const otherAttempt = attempts.get(`${role} ${other}`)!;
      const refusal = 'outcome' in a ? versionRefusal(a.outcome) : undefined;
      if (refusal && 'outcome' in otherAttempt && otherAttempt.outcome.verdict === 'accepted') {
        (exchanges[role] ??= {})[version] = {
          verdict: 'n/a',
          reason: `the target's ${role} does not speak ${version} (${refusal}) and accepts ${other}`,
        };
        continue;
      }
      const hint = hintFor(role, a);
      (exchanges[role] ??= {})[version] = {
        verdict: 'not run',
        reason: `the good exchange failed: ${describeAttempt(a).split('\n')[0]} (hint: ${hint})`,
      };
      rootCauses.push(
        `target '${target.name}'${target.key === 'rsa-2048' ? '' : ` (${target.key})`} ${role}, ${version}: the ` +
          `good exchange failed, so none of its ${role} checks ran.\n  ` +
          `${describeAttempt(a).replace(/\n/g, '\n  ')}\n  hint: ${hint}`,
      );
    }
  } finally {
    await Promise.all([...commandServers.values()].map((s) => s.stop()));
    await stopClientSessions();
    releasePorts(commandServers);
  }
  return { exchanges, rootCauses };
}
