import { ConsentOptionsSchema } from '@hmi/core/schemas';
import { describe, expect, it } from 'vitest';

describe('ConsentOptionsSchema (the one consent option schema of messaging configs)', () => {
  it('accepts callbacks and quiet hours, passing the functions through untouched', () => {
    const check = async () => true;
    const parsed = ConsentOptionsSchema.parse({ check, quietHours: { start: '21:00', end: '08:00' }, checkTransactional: true });
    expect(parsed.check).toBe(check);
  });

  it.each([
    ['a non-function check', { check: 'yes' }],
    ['a non-function onEvent', { onEvent: 1 }],
    ['bad quiet hours', { quietHours: { start: '25:00', end: '08:00' } }],
    ['a non-boolean checkTransactional', { checkTransactional: 'true' }],
    ['an array', []],
    ['null', null],
  ])('refuses %s', (_, value) => {
    expect(ConsentOptionsSchema.safeParse(value).success).toBe(false);
  });
});
