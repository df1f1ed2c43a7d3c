/**
 * The server's encrypted TLS 1.3 handshake, read with the reference client's key log: the
 * handshake traffic secret (SSLKEYLOGFILE's SERVER_HANDSHAKE_TRAFFIC_SECRET, from Node's 'keylog'
 * event) gives the key and IV of the records between ServerHello and the server's Finished
 * (RFC 8446 §7.1, §7.3, §5.2). What is read there is what TLS 1.2 shows in clear: whether the
 * server asked for a certificate (CertificateRequest) and which CA names it listed
 * (certificate_authorities, §4.2.4).
 */
import { createDecipheriv, createHmac } from 'node:crypto';
import { eachRecord, handshakeMessages, type HandshakeMessage } from './tls-records.js';

/** The TLS 1.3 suites: AEAD, its key length, and the hash of the key schedule. */
const SUITES: Record<
  string,
  { aead: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; keyLength: number; hash: 'sha256' | 'sha384' }
> = {
  TLS_AES_128_GCM_SHA256: { aead: 'aes-128-gcm', keyLength: 16, hash: 'sha256' },
  TLS_AES_256_GCM_SHA384: { aead: 'aes-256-gcm', keyLength: 32, hash: 'sha384' },
  TLS_CHACHA20_POLY1305_SHA256: { aead: 'chacha20-poly1305', keyLength: 32, hash: 'sha256' },
};

/** HKDF-Expand-Label (RFC 8446 §7.1) for outputs no longer than one hash block, as key and IV are. */
function expandLabel(hash: string, secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`);
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  return createHmac(hash, secret)
    .update(Buffer.concat([info, Buffer.from([1])]))
    .digest()
    .subarray(0, length);
}

export interface Handshake13 {
  messages: HandshakeMessage[];
}

/**
 * The handshake messages of the server's encrypted flight (EncryptedExtensions, CertificateRequest,
 * Certificate, CertificateVerify, Finished), or undefined when the suite is unknown or no record
 * decrypts under the secret. Decryption stops at the first record that does not: the server's
 * application data, under other keys.
 */
export function decryptServerHandshake(
  s2c: Buffer,
  suite: string | undefined,
  secret: Buffer,
): Handshake13 | undefined {
  const params = suite ? SUITES[suite] : undefined;
  if (!params) return undefined;
  const key = expandLabel(params.hash, secret, 'key', params.keyLength);
  const iv = expandLabel(params.hash, secret, 'iv', 12);
  const plain: Buffer[] = [];
  let seq = 0;
  eachRecord(s2c, (type, header, body) => {
    const length = body.length;
    if (type !== 23 || length < 17) return true; // ServerHello, ChangeCipherSpec (compatibility mode), alerts in clear
    const nonce = Buffer.from(iv);
    for (let i = 0; i < 8; i++) nonce[11 - i]! ^= Number((BigInt(seq) >> BigInt(8 * i)) & 0xffn);
    try {
      // (ChaCha20-Poly1305 takes the same calls as GCM.)
      const decipher = createDecipheriv(params.aead as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      decipher.setAAD(header);
      decipher.setAuthTag(body.subarray(length - 16));
      const inner = Buffer.concat([decipher.update(body.subarray(0, length - 16)), decipher.final()]);
      // TLSInnerPlaintext: content, its type, then zero padding.
      let end = inner.length - 1;
      while (end >= 0 && inner[end] === 0) end--;
      if (end < 0 || inner[end] !== 22) return false;
      plain.push(inner.subarray(0, end));
      seq++;
      return true;
    } catch {
      return false; // not under the handshake keys: the handshake flight has ended
    }
  });
  if (seq === 0) return undefined;
  return { messages: handshakeMessages(Buffer.concat(plain)) };
}
