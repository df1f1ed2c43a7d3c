/** The protocol modules on bytes: what each sends, and how an answer reads. */
import { describe, expect, it } from 'vitest';
import { PROTOCOL_NAMES, protocolOf } from '../harness/protocols/index.js';

describe('raw', () => {
  const raw = protocolOf(undefined);
  it('is the default: the sentinel on a line, padded to a size; the output of an echo server is its account', () => {
    expect(raw.name).toBe('raw');
    expect(raw.request('mtls-c2s-abc', { port: 1 }).toString()).toBe('mtls-c2s-abc\n');
    expect(raw.request('mtls-c2s-abc', { port: 1 }, 40)).toHaveLength(40);
    expect('readAnswer' in raw).toBe(false);
    expect(raw.outputShowsSentinel).toBe(true);
  });
});

describe('http', () => {
  const http = protocolOf('http');
  it('asks for the sentinel as a path, with the name the server is reached by as its Host', () => {
    expect(http.request('mtls-c2s-abc', { name: 'api.internal', port: 8443 }).toString()).toBe(
      'GET /mtls-c2s-abc HTTP/1.1\r\nHost: api.internal:8443\r\nConnection: close\r\n\r\n',
    );
    const post = http.request('mtls-c2s-abc', { port: 8443 }, 100).toString();
    expect(post).toMatch(
      /^POST \/mtls-c2s-abc HTTP\/1\.1\r\nHost: localhost\r\n.*Content-Length: 100\r\n\r\n\.{100}$/s,
    );
  });

  it('reads a 2xx as accepted, 400/421/495/496 as refused, anything else as inconclusive, nothing as undecided', () => {
    const read = (text: string) => http.readAnswer!(Buffer.from(text))!;
    expect(read('HTTP/1.1 200 OK\r\n\r\nhi')).toEqual({
      verdict: 'accepted',
      reason: 'the server answered HTTP/1.1 200 OK',
    });
    for (const s of [400, 421, 495, 496]) expect(read(`HTTP/1.1 ${s} No\r\n\r\n`).verdict, String(s)).toBe('rejected');
    expect(read('HTTP/1.1 302 Found\r\n\r\n').verdict).toBe('inconclusive');
    expect(read('SSH-2.0-x').reason).toMatch(/neither 2xx nor a certificate rejection: "SSH-2\.0-x"/);
    expect(http.readAnswer!(Buffer.alloc(0))).toBeUndefined();
    expect(http.status!(Buffer.from('HTTP/1.0 403 Forbidden\r\n'))).toBe(403);
    expect(http.outputShowsSentinel).toBe(false);
  });

  it("with a role's options: its path (the sentinel in a header), method and headers", () => {
    const shaped = protocolOf({ name: 'http', path: '/healthz', method: 'HEAD', headers: { 'X-Api-Key': 'k' } });
    expect(shaped.request('mtls-c2s-abc', { name: 'api.internal', port: 443 }).toString()).toBe(
      'HEAD /healthz HTTP/1.1\r\nHost: api.internal:443\r\nX-Mtls-Probe: mtls-c2s-abc\r\nX-Api-Key: k\r\n' +
        'Connection: close\r\n\r\n',
    );
    // The same reading of the answer; options only shape the request.
    expect(shaped.readAnswer!(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))!.verdict).toBe('accepted');
    expect(protocolOf({ name: 'http' }).request('x', { port: 1 })).toEqual(
      protocolOf('http').request('x', { port: 1 }),
    );
  });

  it('every protocol is named by its module', () => {
    for (const name of PROTOCOL_NAMES) expect(protocolOf(name).name).toBe(name);
  });
});
