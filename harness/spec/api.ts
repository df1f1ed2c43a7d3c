/**
 * The check API: everything a spec file may use, in one module (the lint rule for specs/** allows
 * this, the fixtures, vitest and node: built-ins). Specs never reach the targets, the wire tap or
 * the probe's internals; what they need of them is named here.
 */
export { conformance, type Check, type CheckBody } from './conformance.js';
export {
  adversarial,
  control,
  NotApplicable,
  openNamesOf,
  SessionJar,
  type CheckContext,
  type ProbeLabel,
} from './context.js';
export { holds, refusedDeliveredNothing } from './plain.js';
export { judgeOffer, TAMPER_PAYLOAD_BYTES, type Outcome } from '../probe.js';
export { isAead, isForwardSecret } from '../tls.js';
export { familyCodes, subjectName, TLS12_SUITES, type SuiteFamily } from '../hello.js';
export { RENEGOTIATIONS } from '../catalogue.js';
