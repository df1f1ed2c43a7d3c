/**
 * SecureContexts built once per worker for the same context options. OpenSSL 3 takes ~1.5 ms to
 * build one (it parses the key, the certificate and every CA each time), a third of a handshake,
 * and a probe builds two: the target's role and the harness's peer. The same options give the
 * same context, so the handshake is the one a fresh context would make.
 *
 * Sessions: a server context carries ticket keys, so a cached one lets a session from one probe
 * resume on the next. The harness's clients never offer a session, and the reference server
 * issues no tickets (reference.ts); every probe's evidence says whether it resumed, and a resumed
 * probe is inconclusive (probe.ts, tests/resumption.test.ts).
 */
import tls from 'node:tls';

/** The options tls.createSecureContext reads; anything else belongs to the socket or the server. */
const CONTEXT_OPTIONS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'ciphers',
  'ecdhCurve',
  'dhparam',
  'honorCipherOrder',
  'minVersion',
  'maxVersion',
  'secureProtocol',
  'secureOptions',
  'sessionIdContext',
  'ticketKeys',
  'sessionTimeout',
  'sigalgs',
  'crl',
  'privateKeyEngine',
  'privateKeyIdentifier',
  'clientCertEngine',
  'allowPartialTrustChain',
] as const;

const cache = new Map<string, tls.SecureContext>();
const MAX_CONTEXTS = 500;

/** A key for these context options, or undefined when one of them is not plain data (a KeyObject, a function). */
function keyOf(options: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  const plain = (v: unknown): string | undefined => {
    if (v === undefined || v === null) return '';
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return `${typeof v}:${v}`;
    if (Buffer.isBuffer(v)) return `buffer:${v.toString('base64')}`;
    if (Array.isArray(v)) {
      const items = v.map(plain);
      return items.includes(undefined) ? undefined : `[${items.join(',')}]`;
    }
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const entries = Object.entries(v).map(([k, x]) => [k, plain(x)] as const);
      return entries.some(([, x]) => x === undefined)
        ? undefined
        : `{${entries.map(([k, x]) => `${k}=${x}`).join(',')}}`;
    }
    return undefined;
  };
  for (const name of CONTEXT_OPTIONS) {
    const v = plain(options[name]);
    if (v === undefined) return undefined;
    parts.push(v);
  }
  return parts.join('\0');
}

/** The context for these options: built once, then the same one. */
function contextFor(
  options: tls.SecureContextOptions,
  build: (o: tls.SecureContextOptions) => tls.SecureContext = tls.createSecureContext,
): tls.SecureContext {
  const key = keyOf(options as Record<string, unknown>);
  if (key === undefined) return build(options);
  let context = cache.get(key);
  if (!context) {
    if (cache.size >= MAX_CONTEXTS) cache.clear();
    context = build(options);
    cache.set(key, context);
  }
  return context;
}

/**
 * Runs `make` (a tls.createServer or tls.connect) with its context from the cache. Node builds a
 * server's context from its options, and a client's unless it is given one, through
 * `tls.createSecureContext` (Server.prototype.setSecureContext and tls.connect, Node 20 to 24):
 * that call is answered from the cache while `make` runs, synchronously.
 */
export function withCachedContexts<T>(make: () => T): T {
  const original = tls.createSecureContext;
  (tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = (o) =>
    contextFor(o ?? {}, original);
  try {
    return make();
  } finally {
    (tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = original;
  }
}
