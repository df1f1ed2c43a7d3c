/**
 * The hand-written ClientHello and the readers of the handshake (its clear part, and TLS 1.3's encrypted flight),
 * against Node's OpenSSL.
 */
import net from 'node:net';
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  clientHello,
  familyCodes,
  GOOD_TLS12_SUITES,
  readFlight,
  readNegotiated,
  readOffer,
  subjectName,
  SUITE_FAMILIES,
  suiteName,
} from '../harness/hello.js';
import { issuePki, type Pki } from '../harness/pki/issue.js';
import { materialFor } from '../harness/pki/material.js';
import { probe } from '../harness/probe.js';
import { referenceClient } from '../harness/targets/reference.js';
import { clientSide, nodeServerSide } from '../harness/targets/sides.js';

let pki: Pki;
beforeAll(async () => {
  pki = await issuePki(4242);
});

/** Sends `hello` to a Node server with these options; resolves with the bytes it answered. */
async function answer(hello: Buffer, options: tls.TlsOptions): Promise<Buffer> {
  const server = tls.createServer({ cert: pki.certificates.server.cert, key: pki.certificates.server.key, ...options });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await new Promise<Buffer>((resolve) => {
      let got = Buffer.alloc(0);
      const s = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () => s.write(hello));
      const done = () => {
        s.destroy();
        resolve(got);
      };
      s.on('data', (d) => {
        got = Buffer.concat([got, d]);
        const flight = readFlight(got);
        if (flight.alert || flight.messages.some((m) => m.type === 14)) done();
      });
      s.on('close', done);
      s.on('error', done);
      setTimeout(done, 3000).unref();
    });
  } finally {
    server.close();
  }
}

describe('hand-written ClientHello', () => {
  it('offers exactly the suites asked for, and reads back as such', () => {
    const offer = readOffer(clientHello({ suites: [0xc02f, 0x0005], serverName: 'a.example.test' }));
    expect(offer).toEqual({
      versions: ['TLSv1.2'],
      serverName: 'a.example.test',
      suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_RC4_128_SHA'],
    });
  });

  it('a Node server picks a good suite and the readers see version, cipher, group and signature scheme', async () => {
    const hello = clientHello({ suites: GOOD_TLS12_SUITES });
    const n = readNegotiated({ c2s: hello, s2c: await answer(hello, {}) });
    expect(n.version).toBe('TLSv1.2');
    expect(GOOD_TLS12_SUITES.map(suiteName)).toContain(n.cipher);
    expect(n.group).toBe('x25519');
    expect(n.signatureScheme).toMatch(/^rsa_pss_rsae_sha256|rsa_pkcs1_sha256$/);
  });

  it('a Node server refuses suites it does not have with a handshake_failure alert', async () => {
    const hello = clientHello({ suites: familyCodes('rc4') });
    const n = readNegotiated({ c2s: hello, s2c: await answer(hello, {}) });
    expect(n.cipher).toBeUndefined();
    expect(n.alert?.s2c).toBe('handshake_failure');
  });

  it('an obsolete version in the hello is refused with protocol_version', async () => {
    const hello = clientHello({ suites: GOOD_TLS12_SUITES, version: 0x0301 });
    expect(readNegotiated({ c2s: hello, s2c: await answer(hello, {}) }).alert?.s2c).toBe('protocol_version');
  });

  it('each family holds only what its name says, and the families do not overlap', () => {
    const names = Object.keys(SUITE_FAMILIES) as Array<keyof typeof SUITE_FAMILIES>;
    for (const family of names) {
      const codes = familyCodes(family);
      expect(codes.length, family).toBeGreaterThan(1);
      for (const other of names.filter((n) => n !== family)) {
        expect(
          codes.filter((c) => familyCodes(other).includes(c)),
          `${family} and ${other}`,
        ).toEqual([]);
      }
    }
    expect(GOOD_TLS12_SUITES.filter((c) => names.some((f) => familyCodes(f).includes(c)))).toEqual([]);
  });
});

describe("the server's encrypted TLS 1.3 flight, read with the reference client's key log", () => {
  const request = (server: tls.TlsOptions, version: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3') =>
    probe({
      version,
      server: nodeServerSide(
        'server',
        { kind: 'node', options: ({ ca, cert, key }) => ({ ca, cert, key, ...server }) },
        materialFor(pki, 'server'),
      ),
      client: clientSide('reference client', referenceClient(version), materialFor(pki, 'client')),
    });
  const names = (...cas: Array<'root-ca' | 'intermediate-ca'>) => cas.map((c) => subjectName(pki.certificates[c].cert));

  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    '%s: every CA name of the list, in order (in clear on TLS 1.2, decrypted on TLS 1.3)',
    async (version) => {
      const o = await request(
        { requestCert: true, ca: [pki.certificates['root-ca'].cert, pki.certificates['intermediate-ca'].cert] },
        version,
      );
      expect(o.evidence.negotiated.certificateRequest).toEqual({ caNames: names('root-ca', 'intermediate-ca') });
      expect(o.evidence.negotiated.handshakeDecrypted).toBe(version === 'TLSv1.3' ? true : undefined);
    },
  );

  it.each(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'])(
    '%s: the CertificateRequest and its CA names',
    async (suite) => {
      const o = await request({ requestCert: true, ciphers: suite });
      expect(o.verdict).toBe('accepted');
      expect(o.evidence.negotiated.cipher).toBe(suite);
      expect(o.evidence.negotiated.handshakeDecrypted).toBe(true);
      expect(o.evidence.negotiated.certificateRequest).toEqual({ caNames: names('root-ca') });
      // The secret reads the capture; the evidence (what the reports carry) has none of it.
      expect(JSON.stringify(o.evidence)).not.toMatch(/serverHandshakeSecret/);
    },
  );

  it('a server that asks for no certificate: its flight is read and has no CertificateRequest', async () => {
    const o = await request({ requestCert: false });
    expect(o.evidence.negotiated.handshakeDecrypted).toBe(true);
    expect(o.evidence.negotiated.certificateRequest).toBeUndefined();
  });

  it(
    'without the secret (another key log, a client not ours), nothing is read: the request stays ' + 'unknown',
    async () => {
      const o = await request({ requestCert: true });
      const n = readNegotiated(o.capture.bytes, Buffer.alloc(48, 1));
      expect(n.handshakeDecrypted).toBeUndefined();
      expect(n.certificateRequest).toBeUndefined();
    },
  );
});
