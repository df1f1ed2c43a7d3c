/**
 * Each server's client-authentication mode, as testssl.sh and sslyze report it, judged by what it
 * did in this run (cauth.reject-none: a client without a certificate, next to the good one):
 * - required: it refused the client without a certificate;
 * - optional: it asked for a certificate (a CertificateRequest, visible in TLS 1.2), and let the
 *   client without one in;
 * - none: it let that client in and never asked (TLS 1.2);
 * - the CertificateRequest travels in clear in TLS 1.2; TLS 1.3 encrypts it, and the reference
 *   client's key log reads it; where that fails, "optional or none" (a Node server that saw the
 *   good client's identity asked for it, so is optional).
 * Plus the CA names the CertificateRequest lists, and two facts of the good client's
 * handshake: whether the server stapled an OCSP response, and (TLS 1.2) whether it indicated
 * secure renegotiation (RFC 5746).
 */
import type { ClientAuthMode, ResultRow } from './types.js';
import { property } from '../catalogue.js';

export function clientAuthModes(results: ResultRow[]): ClientAuthMode[] {
  const modes: ClientAuthMode[] = [];
  // A target without a server (or a server name declared without client authentication) has no mode.
  // The rows of the property that gives the table (cauth.reject-none, catalogue field `table`).
  for (const row of results.filter(
    (r) => property(r.id).table === 'client-auth-modes' && !(r.verdict === 'n/a' && r.probes.length === 0),
  )) {
    const at = { target: row.target, version: row.version };
    const probes = results.filter((r) => r.target === row.target && r.version === row.version).flatMap((r) => r.probes);
    const request = probes.map((p) => p.evidence.negotiated?.certificateRequest).find((x) => x !== undefined);
    // TLS 1.2 sends the CertificateRequest in clear; TLS 1.3 encrypts it, and the reference
    // client's key log reads it (handshakeDecrypted): then its absence is evidence too.
    const visible = row.version === 'TLSv1.2' || probes.some((p) => p.evidence.negotiated?.handshakeDecrypted);
    const caNames = request?.caNames.map((n) => n.replace(/\n/g, ', '));
    const none = row.probes.find((p) => p.kind === 'adversarial');
    const good = row.probes.find((p) => p.kind === 'control');
    const more = {
      ...(caNames ? { caNames } : {}),
      ...(visible ? {} : { requestHidden: true as const }),
      ...(good?.evidence.client.ocspStapled ? { ocspStapled: good.evidence.client.ocspStapled } : {}),
      ...(good?.evidence.negotiated?.secureRenegotiation !== undefined
        ? { secureRenegotiation: good.evidence.negotiated.secureRenegotiation }
        : {}),
    };
    if (!none || none.verdict === 'inconclusive') {
      modes.push({
        ...at,
        ...more,
        mode: 'unknown',
        evidence: none ? `${none.label}: ${none.reason}` : `${row.verdict}: ${row.reason ?? 'the check did not probe'}`,
      });
    } else if (none.verdict === 'rejected') {
      modes.push({
        ...at,
        ...more,
        mode: 'required',
        evidence: `a client without a certificate was rejected: ${none.reason}`,
      });
    } else if (visible) {
      const where = row.version === 'TLSv1.2' ? 'on the wire' : 'in its handshake flight (read with the key log)';
      modes.push(
        request
          ? {
              ...at,
              ...more,
              mode: 'optional',
              evidence:
                `it sent a CertificateRequest (${where}), then let a client without a certificate in: ` +
                `${none.reason}`,
            }
          : {
              ...at,
              ...more,
              mode: 'none',
              evidence: `no CertificateRequest ${where}, and a client without a certificate was let in: ${none.reason}`,
            },
      );
    } else {
      const asked = good?.evidence.server.peer !== undefined;
      modes.push(
        asked
          ? {
              ...at,
              ...more,
              mode: 'optional',
              evidence:
                `the server application saw the good client's identity (so it asked), and a client without ` +
                `a certificate was let in: ${none.reason}`,
            }
          : {
              ...at,
              ...more,
              mode: 'optional or none',
              evidence:
                `a client without a certificate was let in; TLS 1.3 encrypts the CertificateRequest and its ` +
                `flight could not be read, so whether it asked is not visible: ${none.reason}`,
            },
      );
    }
  }
  return modes;
}
