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
import { referenceClient, referenceServer } from '../targets/reference.js';
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
export interface ProbeRecordMeta { id: string; target: string; version: TlsVersion; probes: ProbeRecord[] }

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

export class CheckContext {
  constructor(
    readonly target: TargetUnderTest,
    readonly version: TlsVersion,
    private readonly test: TestContext,
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
    const outcome = await probe({
      version: this.version,
      server: { label: `target ${this.target.name} (server)`, role, material: this.material('server') },
      client: { label: `reference client [${p.client}]`, role: referenceClient(this.version), material: this.material(p.client) },
      tamper: p.tamper,
      payload: payloadFor(sentinel('c2s'), p.payloadBytes),
    });
    return this.record(label, outcome);
  }

  /** Probe the target's client; the harness is the server. */
  async client(label: string, p: ClientProbe): Promise<Outcome> {
    const role = this.target.config.client;
    if (!role) throw new Error(`target '${this.target.name}' has no client role`);
    const answer = payloadFor(sentinel('s2c'), p.answerBytes);
    const outcome = await probe({
      version: this.version,
      server: { label: `reference server [${p.server}]`, role: referenceServer(this.version, answer), material: this.material(p.server) },
      client: { label: `target ${this.target.name} (client)`, role, material: this.material('client') },
      dial: p.dial,
      tamper: p.tamper,
    });
    return this.record(label, outcome);
  }

  private record(label: string, outcome: Outcome): Outcome {
    const meta = this.test.task.meta.mtls;
    meta?.probes.push({ label, verdict: outcome.verdict, reason: outcome.reason, evidence: outcome.evidence });
    return outcome;
  }
}
