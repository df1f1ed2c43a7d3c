import { expect, test } from 'vitest';

test('trivial', () => {
  expect(1 + 1).toBe(2);
});
