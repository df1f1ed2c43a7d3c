/**
 * A verdict's reason is a sentence about the target, never an assertion library's text. A check
 * states what it found with `holds(condition, finding)`; anything else that throws (an assertion
 * of the harness's own, a matcher) is said again in plain words by `plainReason`.
 */

/** The property's own assertion failed: `message` is the finding, in plain words. */
export class PropertyFailed extends Error {
  override name = 'PropertyFailed';
}

/** Throws the finding unless the condition holds. */
export function holds(condition: boolean, finding: string): asserts condition {
  if (!condition) throw new PropertyFailed(finding);
}

/** "what: expected A to <relation> B", the relations of vitest's matchers. */
const RELATIONS = [
  'be greater than(?: or equal to)?',
  'be less than(?: or equal to)?',
  'deeply equal',
  'strictly equal',
  'equal',
  'contain',
  'include',
  'have property',
  'be',
];
const ASSERTION = new RegExp(String.raw`^(?:(.*?): )?expected (.+?) (to (?:not )?(?:${RELATIONS.join('|')})) (\S.*)$`);

const show = (v: string) => v.replace(/^'(.*)'$/, '$1').replace(/^\+0$/, '0');

/**
 * Plain words for an assertion error's first line ("what: expected A to be B // Object.is
 * equality"): what was looked at, what was found, what was required.
 */
export function plainReason(err: unknown): string {
  if (err instanceof PropertyFailed) return err.message;
  const line = String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .replace(/\s*\/\/ Object\.is equality$/, '');
  const m = line.match(ASSERTION);
  if (!m) return line.replace(/\bexpected\b/gi, 'required').replace(/\bto(Be|Equal)\b/g, 'to $1');
  const [, what, actual, relation, wanted] = m;
  const subject = what ? `${what}: ` : '';
  const negated = relation!.includes(' not ');
  if (/contain|include/.test(relation!))
    return `${subject}${show(wanted!)} is ${negated ? '' : 'not '}among ${show(actual!)}`;
  if (/greater/.test(relation!)) return `${subject}${show(actual!)}, where more than ${show(wanted!)} was required`;
  if (/less/.test(relation!)) return `${subject}${show(actual!)}, where less than ${show(wanted!)} was required`;
  return negated
    ? `${subject}${show(actual!)}, which was required to differ`
    : `${subject}${show(actual!)}, where ${show(wanted!)} was required`;
}

/** A refusal must also have kept the refused peer's bytes from the server application. */
export function refusedDeliveredNothing(outcome: { evidence: { server: { delivered: number } } }): void {
  const n = outcome.evidence.server.delivered;
  holds(n === 0, `${n} bytes from the refused peer reached the server application`);
}
