/** Integrity: altered records are detected by the receiver and never reach its application. */
import { TAMPER_PAYLOAD_BYTES } from '../harness/probe.js';
import { conformance } from '../harness/spec/conformance.js';

const appTamper = (direction: 'c2s' | 's2c') => ({ direction, record: 'application_data' as const, minLength: TAMPER_PAYLOAD_BYTES });

await conformance('integrity', (check) => {
  check('integ.app-tamper.server', async (t, expect) => {
    expect(await t.server('positive control: untouched payload', { client: 'client', payloadBytes: TAMPER_PAYLOAD_BYTES })).toBeAccepted();
    const outcome = await t.server('one bit flipped in the client payload record', { client: 'client', payloadBytes: TAMPER_PAYLOAD_BYTES, tamper: appTamper('c2s') });
    expect(outcome).toBeRejected();
    expect(outcome.evidence.server.delivered, 'altered bytes delivered to the server application').toBe(0);
  });

  check('integ.app-tamper.client', async (t, expect) => {
    expect(await t.client('positive control: untouched answer', { server: 'server', answerBytes: TAMPER_PAYLOAD_BYTES })).toBeAccepted();
    const outcome = await t.client('one bit flipped in the server answer record', { server: 'server', answerBytes: TAMPER_PAYLOAD_BYTES, tamper: appTamper('s2c') });
    expect(outcome).toBeRejected();
    expect(outcome.evidence.client.received, 'altered bytes delivered to the client application').toBe(0);
  });

  check('integ.handshake-tamper.server', async (t, expect) => {
    expect(await t.server('positive control: untouched handshake', { client: 'client' })).toBeAccepted();
    const outcome = await t.server('one bit flipped in the ClientHello random', { client: 'client', tamper: { direction: 'c2s', record: 'handshake' } });
    expect(outcome).toBeRejected();
  });

  check('integ.handshake-tamper.client', async (t, expect) => {
    expect(await t.client('positive control: untouched handshake', { server: 'server' })).toBeAccepted();
    const outcome = await t.client('one bit flipped in the ServerHello random', { server: 'server', tamper: { direction: 's2c', record: 'handshake' } });
    expect(outcome).toBeRejected();
  });
});
