/**
 * What a spec sees of the harness: the target under test for one TLS version, and two ways to
 * probe it. `server()` puts the target's server against the reference client holding the given
 * client certificate; `client()` puts the target's client against the reference server holding
 * the given server certificate. Every probe's outcome is attached to the running test, which is
 * where the reporter finds the evidence.
 */
import { inject, type TestContext } from 'vitest';
import type { ClientProfile, ServerProfile } from '../../fixtures/profiles.js';
import type { MtlsConfig, TargetConfig } from '../config/types.js';
import { loadConfig } from '../config/load.js';
import type { Pki } from '../pki/issue.js';
import { materialFor, type Material } from '../pki/material.js';
import { payloadFor, probe, sentinel, type Dial, type Outcome } from '../probe.js';
import { DEFAULT_HOST, type CommandServer } from '../targets/command.js';
import { referenceClient, referenceServer } from '../targets/reference.js';
import { clientSide, nodeServerSide, serverSide } from '../targets/sides.js';
import type { TlsVersion } from '../tls.js';
import type { Tamper } from '../wire.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mtlsTarget: string;
    mtlsConfigPath: string;
    mtlsPki: Pki;
  }
  interface TaskMeta {
    mtls?: ProbeRecordMeta;
  }
}

export interface ProbeRecord { label: string; verdict: Outcome['verdict']; reason: string; evidence: Outcome['evidence'] }
export interface ProbeRecordMeta { id: string; target: string; version: TlsVersion; probes: ProbeRecord[]; waived?: string }

export interface TargetUnderTest {
  name: string;
  config: TargetConfig;
  pki: Pki;
}

let loaded: Promise<MtlsConfig> | undefined;
export async function targetUnderTest(): Promise<TargetUnderTest> {
  const name = inject('mtlsTarget');
  loaded ??= loadConfig(inject('mtlsConfigPath'), (url) => import(/* @vite-ignore */ url));
  const config = (await loaded).targets[name];
  if (!config) throw new Error(`target '${name}' is not in ${inject('mtlsConfigPath')}`);
  return { name, config, pki: inject('mtlsPki') };
}

export interface ServerProbe {
  /** The client certificate the reference client presents; 'none' presents nothing. */
  client: ClientProfile | 'none';
  tamper?: Tamper;
  payloadBytes?: number;
}

export interface ClientProbe {
  /** The server certificate the reference server presents. */
  server: ServerProfile;
  dial?: Dial;
  tamper?: Tamper;
  answerBytes?: number;
}

/** How a client names the server it dials: an IP literal, or a DNS name. */
export function dialOf(host: string): Dial {
  return /^[\d.]+$|:/.test(host) ? 'ip' : 'dns';
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
    private readonly test: TestContext,
    /** Programs started for this spec file, kept for its later checks and stopped at its end. */
    private readonly commandServers: Map<string, CommandServer>,
  ) {}

  get identities() { return this.target.pki.identities; }

  private material(profile: ClientProfile | ServerProfile | 'none'): Material {
    if (profile === 'none') return { ...materialFor(this.target.pki, 'client'), cert: '', key: '', profile };
    return materialFor(this.target.pki, profile);
  }

  /** Probe the target's server; the harness is the client. */
  async server(label: string, p: ServerProbe): Promise<Outcome> {
    const role = this.target.config.server;
    if (!role) throw new Error(`target '${this.target.name}' has no server role`);
    const text = sentinel('c2s');
    const http = role.kind === 'command' && role.protocol === 'http';
    const outcome = await probe({
      version: this.version,
      server: serverSide(`target ${this.target.name} (server)`, role, this.material('server'), this.commandServers),
      client: clientSide(`reference client [${p.client}]`, referenceClient(this.version), this.material(p.client)),
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
    let dial = p.dial ?? 'ip';
    if (role.kind === 'command') {
      // The client's port is the target's server program's port too: that program must be gone.
      for (const s of this.commandServers.values()) if (role.port !== undefined && s.role.port === role.port) await s.stop();
      // A program dials what it dials; checks that need the other kind are waived up front.
      const host = role.host ?? DEFAULT_HOST;
      dial = dialOf(host);
      if (p.dial && p.dial !== dial) throw new Error(`target '${this.target.name}' client dials ${host}; this probe needs a ${p.dial} dial`);
    }
    const outcome = await probe({
      version: this.version,
      server: nodeServerSide(`reference server [${p.server}]`, referenceServer(this.version, answer), this.material(p.server)),
      client: clientSide(`target ${this.target.name} (client)`, role, this.material('client')),
      dial,
      tamper: p.tamper,
      answerSentinel: text,
    });
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
    const meta = this.test.task.meta.mtls;
    meta?.probes.push({ label, verdict: outcome.verdict, reason: outcome.reason, evidence: outcome.evidence });
    return outcome;
  }
}
