/** Integrity: altered records are detected by the receiver and never reach its application. */
import { adversarial, conformance, control, holds, NotApplicable, TAMPER_PAYLOAD_BYTES } from '../harness/spec/api.js';

const appTamper = (direction: 'c2s' | 's2c') => ({
  direction,
  record: 'application_data' as const,
  minLength: TAMPER_PAYLOAD_BYTES,
});

await conformance('integrity', (check) => {
  check('integ.app-tamper.server', async (t, expect) => {
    const outcome = await t.contrast(
      expect,
      () => t.server(control('untouched payload'), { client: 'client', payloadBytes: TAMPER_PAYLOAD_BYTES }),
      () =>
        t.server(adversarial('one bit flipped in the client payload record'), {
          client: 'client',
          payloadBytes: TAMPER_PAYLOAD_BYTES,
          tamper: appTamper('c2s'),
        }),
    );
    holds(
      outcome.evidence.server.delivered === 0,
      `${outcome.evidence.server.delivered} altered bytes reached the server application`,
    );
  });

  check('integ.app-tamper.client', async (t, expect) => {
    const outcome = await t.contrast(
      expect,
      async () => {
        const untouched = await t.client(control('untouched answer'), {
          server: 'server',
          answerBytes: TAMPER_PAYLOAD_BYTES,
        });
        // Judged at the client application: a control that shows nothing reached it cannot give a
        // rejection its meaning (a client that never reads, curl against a non-HTTP answer).
        if (untouched.verdict === 'accepted' && untouched.evidence.client.received === 0) {
          throw new NotApplicable(
            'the client never shows what it received (no answer in its output or application), so a tampered answer ' +
              'being caught cannot be shown',
          );
        }
        return untouched;
      },
      () =>
        t.client(adversarial('one bit flipped in the server answer record'), {
          server: 'server',
          answerBytes: TAMPER_PAYLOAD_BYTES,
          tamper: appTamper('s2c'),
        }),
    );
    holds(
      outcome.evidence.client.received === 0,
      `${outcome.evidence.client.received} altered bytes reached the client application`,
    );
  });

  check('integ.handshake-tamper.server', async (t, expect) => {
    await t.contrast(
      expect,
      () => t.server(control('untouched handshake'), { client: 'client' }),
      () =>
        t.server(adversarial('one bit flipped in the ClientHello random'), {
          client: 'client',
          tamper: { direction: 'c2s', record: 'handshake' },
        }),
    );
  });

  check('integ.handshake-tamper.client', async (t, expect) => {
    await t.contrast(
      expect,
      () => t.client(control('untouched handshake'), { server: 'server' }),
      () =>
        t.client(adversarial('one bit flipped in the ServerHello random'), {
          server: 'server',
          tamper: { direction: 's2c', record: 'handshake' },
        }),
    );
  });
});
