/**
 * No probe may resume another probe's session: a resumed handshake checks no certificate, so it
 * would prove nothing about the certificate the probe presents. Shown three ways:
 * - the detector works: a client that keeps its session, against a server whose ticket keys
 *   outlive one probe, resumes on the second probe; the evidence says so (the wire, and Node on
 *   both sides) and the probe is inconclusive, never accepted or rejected;
 * - the harness's own peers never allow it: the same session-keeping client against the
 *   reference server, and the reference client against that lenient server, never resume;
 * - whole runs (selftest.test.ts, selftest-interop.test.ts): every probe's evidence has
 *   `resumed: false`.
 */
import { randomBytes } from 'node:crypto';
import type tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { issuePki, type Pki } from '../harness/pki/issue.js';
import { materialFor } from '../harness/pki/material.js';
import { probe, sentinel } from '../harness/probe.js';
import { sentinelLine } from '../harness/protocols/raw.js';
import type { NodeClientRole, NodeServerRole } from '../harness/config/types.js';
import { referenceClient, referenceServer } from '../harness/targets/reference.js';
import { clientSide, nodeServerSide } from '../harness/targets/sides.js';
import { TLS_VERSIONS, type PinnedVersion } from '../harness/tls.js';

let pki: Pki;
beforeAll(async () => {
  pki = await issuePki(7);
});

/** A server whose ticket keys are the same for every probe (a fleet sharing `ticketKeys`). */
const TICKET_KEYS = randomBytes(48);
const sharedTickets: NodeServerRole = {
  kind: 'node',
  options: ({ ca, cert, key }) => ({
    ca,
    cert,
    key,
    requestCert: true,
    rejectUnauthorized: true,
    ticketKeys: TICKET_KEYS,
  }),
};

/** A client that offers the session of its previous connection, as a pooling HTTP agent does. */
function sessionKeeper(version: PinnedVersion): NodeClientRole & { offered: () => boolean } {
  let session: Buffer | undefined;
  let offered = false;
  return {
    kind: 'node',
    options: ({ ca, cert, key }) => {
      offered = session !== undefined;
      return { ca, cert, key, rejectUnauthorized: false, minVersion: version, maxVersion: version, session };
    },
    onSecureConnect: (socket: tls.TLSSocket) => {
      session = socket.getSession() ?? session;
      socket.on('session', (s: Buffer) => {
        session = s;
      });
    },
    offered: () => offered,
  };
}

describe("no probe resumes another probe's session", () => {
  for (const version of TLS_VERSIONS) {
    it(`${version}: the detector sees a resumption, and the probe is inconclusive, not a verdict`, async () => {
      const client = sessionKeeper(version);
      const attempt = () =>
        probe({
          version,
          server: nodeServerSide('server with shared ticket keys', sharedTickets, materialFor(pki, 'server')),
          client: clientSide('session-keeping client', client, materialFor(pki, 'client')),
        });
      const first = await attempt();
      expect(first.verdict, first.reason).toBe('accepted');
      expect(first.evidence.resumed).toBe(false);
      // The session of the first probe may arrive after its answer (TLS 1.3 tickets): try a few times.
      let second = await attempt();
      for (let i = 0; i < 3 && !second.evidence.resumed; i++) second = await attempt();
      expect(client.offered()).toBe(true);
      expect(second.evidence.resumed).toBe(true);
      expect(second.evidence.negotiated.resumed, 'seen on the wire').toBe(true);
      expect(second.evidence.server.resumed).toBe(true);
      expect(second.evidence.client.resumed).toBe(true);
      expect(second.verdict).toBe('inconclusive');
      expect(second.reason).toMatch(/resumed an earlier session .*checks no certificate/);
    });

    it(`${version}: the reference server never lets a session-keeping client under test resume`, async () => {
      const client = sessionKeeper(version);
      for (let i = 0; i < 4; i++) {
        const answer = sentinelLine(sentinel('s2c'));
        const o = await probe({
          version,
          server: nodeServerSide(
            'reference server',
            referenceServer(version, () => answer),
            materialFor(pki, 'server'),
          ),
          client: clientSide('session-keeping client under test', client, materialFor(pki, 'client')),
        });
        expect(o.verdict, o.reason).toBe('accepted');
        expect(o.evidence.resumed, `probe ${i + 1}`).toBe(false);
      }
      expect(client.offered(), 'the client did offer its earlier session').toBe(true);
    });

    it(`${version}: the reference client never offers a session, even to a server that would resume it`, async () => {
      for (let i = 0; i < 4; i++) {
        const o = await probe({
          version,
          server: nodeServerSide('server with shared ticket keys', sharedTickets, materialFor(pki, 'server')),
          client: clientSide('reference client', referenceClient(version), materialFor(pki, 'client')),
        });
        expect(o.verdict, o.reason).toBe('accepted');
        expect(o.evidence.resumed, `probe ${i + 1}`).toBe(false);
      }
    });
  }
});
