import { describe, expect, it } from 'vitest';
import { ValidationError } from '@hmi/core';
import { normalizePhone, phoneRegion, toAsciiDigits, tryNormalizePhone } from '@hmi/phone';

describe('normalizePhone', () => {
  it.each([
    ['0555123456', 'SA', '+966555123456'],
    ['+966 55 512 3456', undefined, '+966555123456'],
    ['00966555123456', undefined, '+966555123456'],
    ['٠٥٥٥١٢٣٤٥٦', 'SA', '+966555123456'],
    ['050 123 4567', 'AE', '+971501234567'],
    ['01001234567', 'EG', '+201001234567'],
    ['\u200f+20 100 123 4567', undefined, '+201001234567'],
  ])('%s (%s) → %s', (raw, region, expected) => {
    expect(normalizePhone(raw, { defaultRegion: region })).toBe(expected);
  });

  it('refuses an invalid number with a ValidationError that does not quote it', () => {
    const error = (() => {
      try {
        return normalizePhone('0123', { defaultRegion: 'SA' });
      } catch (e) {
        return e;
      }
    })();
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('0123');
  });

  it('needs a region for a local number', () => {
    expect(tryNormalizePhone('0555123456')).toBeUndefined();
    expect(tryNormalizePhone('')).toBeUndefined();
    expect(tryNormalizePhone(undefined)).toBeUndefined();
  });

  it('knows regions and digits', () => {
    expect(phoneRegion('+971501234567')).toBe('AE');
    expect(toAsciiDigits('۰۱۲٣')).toBe('0123');
  });
});
