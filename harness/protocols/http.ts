/** `http`: HTTP/1.1, the sentinel in the request's path; the status decides. */
import { sentinelLine } from './raw.js';
import type { AppProtocol, OptionChecks } from './types.js';

/**
 * nginx answers a certificate problem with 400 (its internal 495 and 496 show as 400 too); nginx
 * and Caddy answer 421 when the connection was not made for the Host asked for (a session
 * resumed from another name, an SNI that disagrees): the request is refused either way.
 */
export const CERTIFICATE_REJECTIONS = [400, 421, 495, 496];

export function httpStatus(received: Buffer): number | undefined {
  const m = received
    .subarray(0, 64)
    .toString('latin1')
    .match(/^HTTP\/1\.[01] (\d{3})/);
  return m ? Number(m[1]) : undefined;
}

/** What a role may say of its HTTP requests: `protocol: { name: 'http', path, method, headers }`. */
export interface HttpOptions {
  /** The path every probe asks for (default: the probe's sentinel as the path); the sentinel then rides in a header. */
  path?: string;
  /** The method (default GET; POST when a probe pads its request with a body). */
  method?: string;
  /** Headers added to every request (an API key, a tenant). */
  headers?: Record<string, string>;
}
export const HTTP_OPTIONS = {
  path: (v: unknown) => (typeof v === 'string' && v.startsWith('/') ? undefined : "a path that starts with '/'"),
  method: (v: unknown) => (typeof v === 'string' && /^[A-Z]+$/.test(v) ? undefined : 'an HTTP method in capitals'),
  headers: (v: unknown) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((h) => typeof h === 'string' && !/[\r\n]/.test(h))
      ? undefined
      : 'a map of header names to one-line strings',
} satisfies OptionChecks & Record<keyof HttpOptions, unknown>;

/**
 * An HTTP request for `host`: the sentinel as its path (or, with a role's `path`, in X-Mtls-Probe),
 * a body when a size is asked for, and the role's method and headers.
 */
export function httpRequest(text: string, host: string, size = 0, options: HttpOptions = {}): Buffer {
  const body = size > 0 ? '.'.repeat(size) : '';
  const method = options.method ?? (body ? 'POST' : 'GET');
  const path = options.path ?? `/${text}`;
  const headers = {
    Host: host,
    ...(options.path ? { 'X-Mtls-Probe': text } : {}),
    ...options.headers,
    Connection: 'close',
    ...(body ? { 'Content-Length': String(body.length) } : {}),
  };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.from(`${method} ${path} HTTP/1.1\r\n${head}\r\n${body}`);
}

/** The `http` protocol, with a role's options. */
export function httpWith(options: HttpOptions): AppProtocol {
  return {
    ...http,
    request: (sentinel, server, size) =>
      httpRequest(sentinel, server.name ? `${server.name}:${server.port}` : 'localhost', size, options),
  };
}

export const http: AppProtocol = {
  name: 'http',
  request: (sentinel, server, size) =>
    httpRequest(sentinel, server.name ? `${server.name}:${server.port}` : 'localhost', size),
  readAnswer(received) {
    if (received.length === 0) return undefined;
    const status = httpStatus(received);
    const line = received.subarray(0, received.indexOf('\r\n') >>> 0).toString('latin1');
    if (status !== undefined && status >= 200 && status < 300)
      return { verdict: 'accepted', reason: `the server answered ${line}` };
    if (status !== undefined && CERTIFICATE_REJECTIONS.includes(status))
      return { verdict: 'rejected', reason: `the server refused the request: ${line}` };
    return {
      verdict: 'inconclusive',
      reason:
        `the server answered something that is neither 2xx nor a certificate rejection: ` +
        `${JSON.stringify(line || received.subarray(0, 40).toString('latin1'))}`,
    };
  },
  // As the harness's server: 200 with the sentinel as the body, which an HTTP client prints.
  answer: (sentinel, size = 0) => {
    const body = sentinelLine(sentinel, size);
    return Buffer.concat([
      Buffer.from(
        `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      ),
      body,
    ]);
  },
  outputShowsSentinel: false,
  status: httpStatus,
};
