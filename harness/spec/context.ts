/**
 * What a spec sees of the harness: the target under test for one TLS version, and two ways to
 * probe it. `server()` puts the target's server against the reference client holding the given
 * client certificate; `client()` puts the target's client against the reference server holding
 * the given server certificate. Every probe's outcome is attached to the running test, which is
 * where the reporter finds the evidence.
 */
import type { ExpectStatic, TestContext } from 'vitest';
import type { ClientProfile, IntermediateProfile, ServerProfile } from '../../fixtures/profiles.js';
import { materialFor, type Material } from '../pki/material.js';
import { clientHello, GOOD_TLS12_SUITES, suiteName } from '../hello.js';
import { DEFAULT_TIMEOUT_MS, probe, sentinel, type Outcome } from '../probe.js';
import { protocolOf } from '../protocols/index.js';
import { holds } from './plain.js';
import { fixedNameOf, type CommandServer } from '../targets/command.js';
import { dialFor } from '../dial.js';
import type { Property } from '../catalogue.js';
import {
  offering,
  referenceClient,
  referenceServer,
  renegotiatingClient,
  sessionClient,
} from '../targets/reference.js';
import { clientSide, helloClientSide, nodeServerSide, serverSide, type ClientSide } from '../targets/sides.js';
import { postHandshakeClientSide } from '../targets/post-handshake-client.js';
import type { AppProtocol } from '../protocols/types.js';
import type { PinnedVersion, TlsVersion } from '../tls.js';
import { postHandshakeOnly, serverNameOf, type TargetUnderTest } from './target.js';
import type { ClientProbe, CrlVariant, ServerProbe } from './probes.js';

/**
 * A probe's label and its kind, typed: a positive control, the adversarial probe it gives meaning
 * to, or (a plain string) an exchange. The verdict reads the kind, never the words.
 */
export interface KindedLabel {
  kind: 'control' | 'adversarial';
  text: string;
}
export type ProbeLabel = string | KindedLabel;
export const control = (text: string): KindedLabel => ({ kind: 'control', text: `positive control: ${text}` });
export const adversarial = (text: string): KindedLabel => ({ kind: 'adversarial', text: `adversarial: ${text}` });

// The check API a spec uses, in one place.
export { SessionJar } from './probes.js';
export { openNamesOf } from './target.js';

/** Thrown by a check that finds, from evidence, that it cannot apply to this target: reported n/a with the reason. */
export class NotApplicable extends Error {
  override name = 'NotApplicable';
}

export class CheckContext {
  constructor(
    readonly target: TargetUnderTest,
    readonly version: TlsVersion,
    /** The running test the outcomes are recorded in; absent for probes outside any check. */
    private readonly test: TestContext | undefined,
    /** Programs started for this spec file, kept for its later checks and stopped at its end. */
    private readonly commandServers: Map<string, CommandServer>,
    /**
     * The property checked; its needs (the name a client must verify) shape the probes. Absent for the good exchange.
     */
    readonly property?: Property,
  ) {}

  get identities() {
    return this.target.pki.identities;
  }

  private material(profile: ClientProfile | ServerProfile | 'none', chain: IntermediateProfile[] = []): Material {
    if (profile === 'none') return { ...materialFor(this.target.pki, 'client'), cert: '', key: '', chain: '', profile };
    const material = materialFor(this.target.pki, profile, chain);
    return chain.length
      ? { ...material, profile: `${profile} + ${chain.join(' + ')}` as Material['profile'] }
      : material;
  }

  /**
   * The target's own material for a role, and what sets it apart from the run's (for a label: a
   * program given other material is another instance): its CA rotated to the foreign CA (the same
   * subject, another key), or the root CA's CRL replaced by a broken one.
   */
  private targetMaterial(
    role: 'server' | 'client',
    p: { trust?: 'rotated'; targetCrl?: CrlVariant },
  ): { material: Material; variant: string } {
    const material = this.material(role);
    const { pki } = this.target;
    if (p.trust === 'rotated')
      return {
        material: { ...material, ca: pki.certificates['foreign-ca'].cert, crl: [pki.foreignCrl] },
        variant: ', CA rotated',
      };
    if (!p.targetCrl) return { material, variant: '' };
    const broken = p.targetCrl === 'expired' ? pki.brokenRootCrl.expired : pki.brokenRootCrl.badSignature;
    return {
      material: { ...material, crl: [broken, ...material.crl.slice(1)] },
      variant: `, root CRL ${p.targetCrl === 'expired' ? 'expired' : 'badly signed'}`,
    };
  }

  /** Stops this file's programs on `port` but the one labelled `keep`: a fixed port has one holder. */
  private async freeFixedPort(port: number | undefined, keep?: string): Promise<void> {
    if (port === undefined) return;
    for (const s of this.commandServers.values()) if (s.label !== keep && s.role.port === port) await s.stop();
  }

  /** Probe the target's server; the harness is the client. */
  async server(label: ProbeLabel, p: ServerProbe): Promise<Outcome> {
    const role = this.target.config.server;
    if (!role) throw new Error(`target '${this.target.name}' has no server role`);
    if (role.kind === 'endpoint' && (p.trust || p.targetCrl)) {
      throw new NotApplicable(
        `the harness does not start this server (an endpoint), so it cannot give it ` +
          `${p.trust ? 'a rotated client CA' : 'a broken CRL'}`,
      );
    }
    const text = sentinel('c2s');
    const version = p.pin ?? this.version;
    if (postHandshakeOnly(this.target, version) && !p.postHandshake)
      throw new NotApplicable(
        "the server asks for the client's certificate after the handshake (clientAuth: 'post-handshake'), and on " +
          "TLS 1.3 Node's reference client cannot answer a post-handshake CertificateRequest: the good exchange and " +
          'the *-post-handshake checks run with a client that can',
      );
    // A server reached by name gets it as SNI and as the HTTP Host, with the port it listens on;
    // `configured` is the name its program is given ({name}), whichever of its names a probe dials.
    const configured = serverNameOf(this.target);
    const name = p.name ?? configured;
    // A program is started once per configuration: one given other material (a rotated CA, a
    // broken CRL) is another instance, a restart, and its other configuration must free a fixed port.
    const { material: serverMaterial, variant } = this.targetMaterial('server', p);
    const serverLabel = `target ${this.target.name} (server${variant})`;
    if (role.kind === 'command') await this.freeFixedPort(role.port, serverLabel);
    const server = serverSide(serverLabel, role, serverMaterial, this.commandServers, configured);
    const serverSideProtocol = server.protocol;
    const outcome = await probe({
      version,
      server,
      client: p.postHandshake
        ? this.postHandshakeClient(p, version, server.protocol)
        : clientSide(
            `reference client [${p.client}]`,
            offering(
              p.session
                ? sessionClient(version, p.session)
                : p.renegotiations
                  ? renegotiatingClient(version, p.renegotiations)
                  : referenceClient(version),
              server.protocol.alpn,
            ),
            this.material(p.client, p.chain),
          ),
      name,
      tamper: p.tamper,
      // What the server speaks (a node server: the raw echo), with the name it is reached by as its Host.
      payload: (at) => serverSideProtocol.request(text, { name, port: at.port }, p.payloadBytes),
      payloadBytes: p.payloadBytes,
      early: true,
      allowResumption: p.session !== undefined,
    });
    return this.record(label, outcome);
  }

  /** The reference client that answers a certificate asked for after the handshake, or why there is none. */
  private postHandshakeClient(p: ServerProbe, version: PinnedVersion, protocol: AppProtocol): ClientSide {
    if (p.session || p.renegotiations || (version !== 'TLSv1.2' && version !== 'TLSv1.3'))
      throw new Error(
        'the post-handshake reference client keeps no session, renegotiates only when asked, and speaks TLS 1.2 ' +
          'and 1.3',
      );
    if (protocol.clientPreamble || protocol.converse)
      throw new NotApplicable(
        `the post-handshake reference client sends one request once TLS is up, and ${protocol.name} ` +
          `${protocol.clientPreamble ? 'starts in clear' : 'is a conversation'}`,
      );
    const side = postHandshakeClientSide(
      `post-handshake reference client (Python ssl) [${p.client}]`,
      version,
      this.material(p.client, p.chain),
      DEFAULT_TIMEOUT_MS,
    );
    if (!side)
      throw new NotApplicable(
        "the post-handshake reference client is Python's ssl (3.8 or later), and no python3 runs here (MTLS_PYTHON " +
          'names one)',
      );
    return side;
  }

  /** Probe the target's client; the harness is the server. */
  async client(label: ProbeLabel, p: ClientProbe): Promise<Outcome> {
    const role = this.target.config.client;
    if (!role) throw new Error(`target '${this.target.name}' has no client role`);
    const text = sentinel('s2c');
    // The answer of the service the client speaks to: it carries the sentinel where a client can show it.
    const protocol = protocolOf(role.protocol);
    if (p.declineTls && !protocol.serverPreamble)
      throw new NotApplicable(
        `the client speaks ${protocol.name}, which starts with TLS: there is no request for TLS in clear for a ` +
          'server to decline',
      );
    const answer = (request: Buffer) => protocol.answer(text, p.answerBytes, request);
    // The client's port is the target's server program's port too: that program must be gone.
    if (role.kind === 'command') await this.freeFixedPort(role.port);
    // What the client verifies: the check's need (the catalogue) against what the client can be
    // made to verify (a program without {name} verifies its own host), decided in harness/dial.ts.
    const dial = dialFor(this.property?.dial, fixedNameOf(role), p.name);
    if ('notApplicable' in dial) throw new NotApplicable(dial.notApplicable);
    const { name } = dial;
    const version = p.pin ?? this.version;
    const outcome = await probe({
      version,
      server: nodeServerSide(
        `reference server [${p.server}]`,
        offering(referenceServer(version, answer, p.resumable, role.protocol), protocol.alpn),
        this.material(p.server, p.chain),
        { preamble: p.declineTls ? 'decline' : 'tls' },
      ),
      client: ((t) => clientSide(`target ${this.target.name} (client${t.variant})`, role, t.material))(
        this.targetMaterial('client', p),
      ),
      name,
      tamper: p.tamper,
      answerSentinel: text,
      allowResumption: p.resumable !== undefined,
    });
    return this.record(label, outcome);
  }

  /**
   * Probe the target's `role` with the peer presenting the twin named by `suffix` ('' for the
   * good certificate, '-via-intermediate', ...): for a server, the reference client presents
   * client<suffix>; for a client, the reference server presents server<suffix>.
   */
  async present(
    role: 'server' | 'client',
    label: ProbeLabel,
    suffix: string,
    more: { chain?: IntermediateProfile[]; pin?: PinnedVersion; targetCrl?: CrlVariant } = {},
  ): Promise<Outcome> {
    return role === 'server'
      ? this.server(label, { client: `client${suffix}` as ClientProfile, ...more })
      : this.client(label, { server: `server${suffix}` as ServerProfile, ...more });
  }

  /**
   * Offer the target's server exactly `suites` in a hand-written TLS 1.2 ClientHello and see
   * whether it picks one (accepted) or refuses (rejected). Without suites: a set every policy
   * accepts, the positive control that the hand-written hello itself is understood.
   */
  async offer(label: ProbeLabel, suites: number[] = GOOD_TLS12_SUITES): Promise<Outcome> {
    const role = this.target.config.server;
    if (!role) throw new Error(`target '${this.target.name}' has no server role`);
    const name = serverNameOf(this.target);
    const server = serverSide(
      `target ${this.target.name} (server)`,
      role,
      this.material('server'),
      this.commandServers,
      name,
    );
    const outcome = await probe({
      version: this.version,
      server,
      client: helloClientSide(
        `hand-written ClientHello [${suites.map(suiteName).join(', ')}]`,
        clientHello({ suites, serverName: name, alpn: server.protocol.alpn }),
      ),
      name,
      judge: 'server-hello',
    });
    return this.record(label, outcome);
  }

  /** Record an outcome derived from an earlier one (a judgement of what the client offered). */
  derived(label: ProbeLabel, outcome: Outcome): Outcome {
    return this.record(label, outcome);
  }

  /**
   * The peer identity the target's application saw. Node's socket says it directly, and it must
   * be the expected one; a program shows it in its output or answer, or does not show it at all:
   * that is recorded as a note, never a failure (curl prints no identity and is a correct client).
   */
  expectPeerSeen(outcome: Outcome, side: 'server' | 'client', expected: string, what: string): void {
    const e = outcome.evidence[side];
    // An in-process role is Node's socket: what it shows is observable, and must be the identity.
    if (e.peer || (e.output === undefined && !e.remote)) {
      holds(
        Object.values(e.peer?.subject ?? {}).includes(expected),
        `the ${side} application's socket does not show ${what} (${expected}) in its peer certificate's subject`,
      );
      return;
    }
    const answer = side === 'server' ? outcome.plaintext.s2c.toString('latin1') : '';
    // Programs print DNs their own way: RFC 4514 escapes (GnuTLS: "O=Spinka\\, Macejkovic") are dropped.
    const unescape = (text: string) => text.replace(/\\(.)/g, '$1');
    const shown = unescape(outcome.transcript[side] ?? '').includes(expected) || unescape(answer).includes(expected);
    const who = e.remote ? 'endpoint' : 'program';
    this.note(
      shown
        ? `the ${side} ${who} shows ${what} (${expected})`
        : `${what}: not shown by the ${who} (acceptance is proven by the application data)`,
    );
  }

  /**
   * The SANs the target's application saw of its peer (`DNS:…`, `URI:…`, `IP:…`): Node's socket
   * must show each; a program that shows them in its output or answer has that noted, one that
   * does not show them has that noted too, never failed.
   */
  expectPeerSans(outcome: Outcome, side: 'server' | 'client', sans: string[]): void {
    const e = outcome.evidence[side];
    const nodeForm = (san: string) => san.replace(/^IP:/, 'IP Address:');
    if (e.peer || (e.output === undefined && !e.remote)) {
      const seen = (e.peer?.subjectaltname ?? '').split(', ');
      for (const san of sans)
        holds(
          seen.includes(nodeForm(san)),
          `the ${side} application's socket does not show the identity ${san} among its peer's SANs ` +
            `(${seen.join(', ') || 'none'})`,
        );
      return;
    }
    const shown = outcome.transcript[side] ?? '';
    const values = sans.map((s) => s.replace(/^(DNS|URI|IP):/, ''));
    this.note(
      values.every(
        (v) => shown.includes(v) || (side === 'server' && outcome.plaintext.s2c.toString('latin1').includes(v)),
      )
        ? `the ${side} program shows the identity ${sans.join(', ')}`
        : `the identity ${sans.join(', ')}: not shown by the program (acceptance is proven by the application data)`,
    );
  }

  /**
   * A negative check: the control (the adversarial probe's twin with the one property put right)
   * and the adversarial probe both run. An accepted adversarial probe is the finding whatever the
   * control did; a rejection means something only when the control was accepted.
   */
  async contrast(
    expect: ExpectStatic,
    control: () => Promise<Outcome>,
    adversarial: () => Promise<Outcome>,
  ): Promise<Outcome> {
    const c = await control();
    const a = await adversarial();
    if (a.verdict !== 'accepted') expect(c, 'the positive control').toBeAccepted();
    expect(a).toBeRejected();
    return a;
  }

  /**
   * A probe whose acceptance is another property's finding (a resumption check's adversarial
   * connection let in by a full handshake: the certificate checks own that). It stays in the
   * evidence, marked, and no longer decides this cell.
   */
  ownedBy(outcome: Outcome, owner: string): void {
    const record = this.test?.task.meta.mtls?.probes.find((p) => p.evidence === outcome.evidence);
    if (record) record.ownedBy = owner;
  }

  /** Evidence that decides nothing, kept with the cell. */
  note(text: string): void {
    this.test?.task.meta.mtls?.notes.push(text);
  }

  private record(label: ProbeLabel, outcome: Outcome): Outcome {
    const meta = this.test?.task.meta.mtls;
    const [kind, text] = typeof label === 'string' ? ['exchange' as const, label] : [label.kind, label.text];
    meta?.probes.push({
      label: text,
      kind,
      verdict: outcome.verdict,
      reason: outcome.reason,
      evidence: outcome.evidence,
    });
    return outcome;
  }
}
