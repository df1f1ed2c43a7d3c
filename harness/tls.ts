/** TLS versions the suite runs every property under, and Node's names for them. */
export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];
/** Versions the reference peers may be pinned to: the suite's, and the obsolete ones offered on purpose (RFC 8996). */
export type PinnedVersion = TlsVersion | 'TLSv1' | 'TLSv1.1';

/** Cipher suites whose record protection is an AEAD. */
export function isAead(standardName: string | undefined): boolean {
  return !!standardName && /(_GCM_|_CCM|CHACHA20_POLY1305)/.test(standardName);
}

/** Key exchange with forward secrecy: every TLS 1.3 suite, and (EC)DHE suites on TLS 1.2. */
export function isForwardSecret(protocol: string | undefined, standardName: string | undefined): boolean {
  if (protocol === 'TLSv1.3') return true;
  return !!standardName && /^TLS_(ECDHE|DHE)_/.test(standardName);
}
