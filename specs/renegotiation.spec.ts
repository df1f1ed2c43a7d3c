/**
 * Renegotiation, server side (TLS 1.2; TLS 1.3 has none). The reference client renegotiates
 * again and again on one connection before it writes: a server that refuses, or stops it after a
 * few, never serves the data. Whether the ServerHello indicated secure renegotiation (RFC 5746)
 * is kept as evidence. A renegotiation that changes the client certificate cannot be driven from
 * here: Node's `renegotiate()` presents the same certificate, as does `s_client`'s `R`.
 */
import { adversarial, conformance, control, RENEGOTIATIONS } from '../harness/spec/api.js';

await conformance('renegotiation', (check) => {
  check('reneg.strict-limit-client-initiated', async (t, expect) => {
    const renegotiating = await t.contrast(
      expect,
      () => t.server(control('the good client certificate, no renegotiation'), { client: 'client' }),
      () =>
        t.server(adversarial(`the good client certificate, renegotiating ${RENEGOTIATIONS} times before it writes`), {
          client: 'client',
          renegotiations: RENEGOTIATIONS,
        }),
    );
    const { renegotiations = 0 } = renegotiating.evidence.client;
    const indicated = renegotiating.evidence.negotiated.secureRenegotiation;
    t.note(
      `the server let ${renegotiations} of ${RENEGOTIATIONS} client-initiated renegotiations complete; its ` +
        `ServerHello ${indicated ? 'indicates' : 'does not indicate'} secure renegotiation (RFC 5746 ` +
        `renegotiation_info)`,
    );
  });
});
