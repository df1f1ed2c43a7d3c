/** toBeAccepted / toBeRejected: verdict matchers whose failure message is the evidence. */
import { expect } from 'vitest';
import type { Outcome, Verdict } from '../probe.js';

function describeOutcome(o: Outcome): string {
  const { server, client, wire, timeline } = o.evidence;
  const side = (s: Record<string, unknown>) =>
    Object.entries(s)
      .filter(([k, v]) => v !== undefined && k !== 'peer' && k !== 'label')
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)}`)
      .join(' ');
  return [
    `  reason:   ${o.reason}`,
    `  server:   ${server.label}: ${side(server)}`,
    `  client:   ${client.label}: ${side(client)}`,
    `  wire:     ${wire.records}${wire.tampered ? `; tampered ${JSON.stringify(wire.tampered)}` : ''}`,
    `  timeline: ${timeline.join(' | ')}`,
  ].join('\n');
}

function verdictMatcher(expected: Verdict) {
  return function (this: { isNot: boolean }, received: Outcome) {
    if (!received || typeof received !== 'object' || !('verdict' in received)) {
      return { pass: false, message: () => `the harness passed ${String(received)} where a probe's outcome belongs` };
    }
    const pass = received.verdict === expected;
    return {
      pass,
      // Said of the target, in plain words: this line can become a cell's reason.
      message: () =>
        `the connection was ${received.verdict}, where ${this.isNot ? 'anything but ' : ''}${expected} was ` +
        `required: ${received.reason}\n${describeOutcome(received)}`,
    };
  };
}

expect.extend({
  toBeAccepted: verdictMatcher('accepted'),
  toBeRejected: verdictMatcher('rejected'),
});

interface VerdictMatchers<R = unknown> {
  toBeAccepted(): R;
  toBeRejected(): R;
}

declare module 'vitest' {
  // The merge must repeat vitest's own declaration, `Matchers<T = any>`, to the letter.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends VerdictMatchers<T> {}
}
