/**
 * A target's own failure (a program that cannot start, options Node rejects): it names the target, and is never a
 * verdict about a property.
 */
export class TargetError extends Error {
  override name = 'TargetError';
}
