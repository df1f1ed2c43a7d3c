/**
 * What a spec sees of the harness: the target under test for one TLS version, and two ways to
 * probe it. `server()` puts the target's server against the reference client holding the given
 * client certificate; `client()` puts the target's client against the reference server holding
 * the given server certificate. Every probe's outcome is attached to the running test, which is
 * where the reporter finds the evidence.
 */
import { inject, type TestContext } from 'vitest';
import { SERVER_DNS, SERVER_IP, type ClientProfile, type IntermediateProfile, type ServerProfile } from '../../fixtures/profiles.js';
import type { MtlsConfig, TargetConfig } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import type { KeyType, Pki } from '../pki/issue.js';
import { materialFor, type Material } from '../pki/material.js';
import { clientHello, GOOD_TLS12_SUITES, suiteName } from '../hello.js';
import { dialOf, payloadFor, probe, sentinel, type Dial, type Outcome } from '../probe.js';
import { DEFAULT_HOST, takesName, type CommandServer } from '../targets/command.js';
import { referenceClient, referenceServer } from '../targets/reference.js';
import { clientSide, helloClientSide, nodeServerSide, serverSide } from '../targets/sides.js';
import type { PinnedVersion, TlsVersion } from '../tls.js';
import type { Tamper } from '../wire.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mtlsTarget: string;
    mtlsKey: KeyType;
    mtlsConfigPath: string;
    mtlsPkis: Record<KeyType, Pki>;
  }
  interface TaskMeta {
    mtls?: ProbeRecordMeta;
  }
}

export interface ProbeRecord { label: string; verdict: Outcome['verdict']; reason: string; evidence: Outcome['evidence'] }
export interface ProbeRecordMeta {
  id: string; target: string; key: KeyType; version: TlsVersion; probes: ProbeRecord[]; waived?: string;
  /** A strict check's failure outside MTLS_PROFILE=strict: reported as a warning, not failed. */
  warning?: string;
}

export interface TargetUnderTest {
  name: string;
  key: KeyType;
  config: TargetConfig;
  pki: Pki;
}

let loaded: Promise<MtlsConfig> | undefined;
export async function targetUnderTest(): Promise<TargetUnderTest> {
  const name = inject('mtlsTarget');
  loaded ??= loadConfig(inject('mtlsConfigPath'), (url) => import(/* @vite-ignore */ url));
  const config = (await loaded).targets[name];
  if (!config) throw new Error(`target '${name}' is not in ${inject('mtlsConfigPath')}`);
  const key = inject('mtlsKey');
  const pki = inject('mtlsPkis')[key];
  if (!pki) throw new Error(`no PKI was issued for key type ${key}`);
  return { name, config, pki, key };
}

export interface ServerProbe {
  /** The client certificate the reference client presents; 'none' presents nothing. */
  client: ClientProfile | 'none';
  /** The intermediates the reference client sends after its certificate. */
  chain?: IntermediateProfile[];
  /** Pin the reference client to this version instead of the check's (an obsolete one, on purpose). */
  pin?: PinnedVersion;
  tamper?: Tamper;
  payloadBytes?: number;
}

export interface ClientProbe {
  /** The server certificate the reference server presents. */
  server: ServerProfile;
  /** The intermediates the reference server sends after its certificate. */
  chain?: IntermediateProfile[];
  /** The kind of name the client dials (a program dials its own host; see waiverFor). */
  dial?: Dial;
  /** The exact name the client must verify; only for clients that take a name (node, or a program with {name}). */
  name?: string;
  /** Pin the reference server to this version instead of the check's (an obsolete one, on purpose). */
  pin?: PinnedVersion;
  tamper?: Tamper;
  answerBytes?: number;
}

/** An HTTP request carrying the sentinel in its path (and a body, when a size is asked for). */
function httpRequest(text: string, size = 0): Buffer {
  const head = (length: number) => `${length ? 'POST' : 'GET'} /${text} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${length ? `Content-Length: ${length}\r\n` : ''}\r\n`;
  const body = size > 0 ? '.'.repeat(size) : '';
  return Buffer.from(head(body.length) + body);
}

export class CheckContext {
  constructor(
    readonly target: TargetUnderTest,
    readonly version: TlsVersion,
    /** The running test the outcomes are recorded in; absent for probes outside any check. */
    private readonly test: TestContext | undefined,
    /** Programs started for this spec file, kept for its later checks and stopped at its end. */
    private readonly commandServers: Map<string, CommandServer>,
  ) {}

  get identities() { return this.target.pki.identities; }

  private material(profile: ClientProfile | ServerProfile | 'none', chain: IntermediateProfile[] = []): Material {
    if (profile === 'none') return { ...materialFor(this.target.pki, 'client'), cert: '', key: '', chain: '', profile };
    const material = materialFor(this.target.pki, profile, chain);
    return chain.length ? { ...material, profile: `${profile} + ${chain.join(' + ')}` as Material['profile'] } : material;
  }

  /** Probe the target's server; the harness is the client. */
  async server(label: string, p: ServerProbe): Promise<Outcome> {
    const role = this.target.config.server;
    if (!role) throw new Error(`target '${this.target.name}' has no server role`);
    const text = sentinel('c2s');
    const http = role.kind === 'command' && role.protocol === 'http';
    const version = p.pin ?? this.version;
    const outcome = await probe({
      version,
      server: serverSide(`target ${this.target.name} (server)`, role, this.material('server'), this.commandServers),
      client: clientSide(`reference client [${p.client}]`, referenceClient(version), this.material(p.client, p.chain)),
      tamper: p.tamper,
      payload: http ? httpRequest(text, p.payloadBytes) : payloadFor(text, p.payloadBytes),
    });
    return this.record(label, outcome);
  }

  /** Probe the target's client; the harness is the server. */
  async client(label: string, p: ClientProbe): Promise<Outcome> {
    const role = this.target.config.client;
    if (!role) throw new Error(`target '${this.target.name}' has no client role`);
    const text = sentinel('s2c');
    const answer = payloadFor(text, p.answerBytes);
    let name = p.name ?? (p.dial === 'dns' ? SERVER_DNS : SERVER_IP);
    if (role.kind === 'command') {
      // The client's port is the target's server program's port too: that program must be gone.
      for (const s of this.commandServers.values()) if (role.port !== undefined && s.role.port === role.port) await s.stop();
      // A program that does not take {name} verifies what it dials; checks that need another
      // name are waived up front (waiverFor).
      if (!takesName(role)) {
        const host = role.host ?? DEFAULT_HOST;
        if (p.name !== undefined || (p.dial && p.dial !== dialOf(host))) throw new Error(`target '${this.target.name}' client dials and verifies ${host}; this probe needs it to verify ${p.name ?? `a ${p.dial} name`}`);
        name = host;
      }
    }
    const version = p.pin ?? this.version;
    const outcome = await probe({
      version,
      server: nodeServerSide(`reference server [${p.server}]`, referenceServer(version, answer), this.material(p.server, p.chain)),
      client: clientSide(`target ${this.target.name} (client)`, role, this.material('client')),
      name,
      tamper: p.tamper,
      answerSentinel: text,
    });
    return this.record(label, outcome);
  }

  /**
   * Probe the target's `role` with the peer presenting the twin named by `suffix` ('' for the
   * good certificate, '-via-intermediate', ...): for a server, the reference client presents
   * client<suffix>; for a client, the reference server presents server<suffix>.
   */
  async present(role: 'server' | 'client', label: string, suffix: string, more: { chain?: IntermediateProfile[]; pin?: PinnedVersion } = {}): Promise<Outcome> {
    return role === 'server'
      ? this.server(label, { client: `client${suffix}` as ClientProfile, ...more })
      : this.client(label, { server: `server${suffix}` as ServerProfile, ...more });
  }

  /**
   * Offer the target's server exactly `suites` in a hand-written TLS 1.2 ClientHello and see
   * whether it picks one (accepted) or refuses (rejected). Without suites: a set every policy
   * accepts, the positive control that the hand-written hello itself is understood.
   */
  async offer(label: string, suites: number[] = GOOD_TLS12_SUITES): Promise<Outcome> {
    const role = this.target.config.server;
    if (!role) throw new Error(`target '${this.target.name}' has no server role`);
    const outcome = await probe({
      version: this.version,
      server: serverSide(`target ${this.target.name} (server)`, role, this.material('server'), this.commandServers),
      client: helloClientSide(`hand-written ClientHello [${suites.map(suiteName).join(', ')}]`, clientHello({ suites })),
      judge: 'server-hello',
    });
    return this.record(label, outcome);
  }

  /** Record an outcome derived from an earlier one (a judgement of what the client offered). */
  derived(label: string, outcome: Outcome): Outcome {
    return this.record(label, outcome);
  }

  /** The peer identity the target's application saw, from Node's socket or in a program's output or answer. */
  peerSeen(outcome: Outcome, side: 'server' | 'client', expected: string): boolean {
    const e = outcome.evidence[side];
    if (e.peer) return Object.values(e.peer.subject).includes(expected);
    const answer = side === 'server' ? outcome.plaintext.s2c.toString('latin1') : '';
    // Programs print DNs their own way: RFC 4514 escapes (GnuTLS: "O=Spinka\\, Macejkovic") are dropped.
    const unescape = (text: string) => text.replace(/\\(.)/g, '$1');
    return unescape(outcome.transcript[side] ?? '').includes(expected) || unescape(answer).includes(expected);
  }

  private record(label: string, outcome: Outcome): Outcome {
    const meta = this.test?.task.meta.mtls;
    meta?.probes.push({ label, verdict: outcome.verdict, reason: outcome.reason, evidence: outcome.evidence });
    return outcome;
  }
}
