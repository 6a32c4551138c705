import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, fromMinorUnits, toMinorUnits, ValidationError } from '@hmi/core';

describe('currency exponents', () => {
  it.each([
    ['SAR', 2],
    ['AED', 2],
    ['EGP', 2],
    ['USD', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['OMR', 3],
    ['JOD', 3],
    ['JPY', 0],
    ['sar', 2],
    ['kwd', 3],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('refuses a code that is not three letters', () => {
    for (const bad of ['SA', 'SARR', '123', '']) expect(() => currencyExponent(bad)).toThrow(ValidationError);
  });
});

describe('toMinorUnits / fromMinorUnits', () => {
  it('converts the usual amounts exactly', () => {
    expect(toMinorUnits('150.50', 'SAR')).toBe(15050);
    expect(toMinorUnits(150.5, 'AED')).toBe(15050);
    expect(toMinorUnits(0.3, 'EGP')).toBe(30);
    // Binary noise (0.30000000000000004) is refused, never silently rounded.
    expect(() => toMinorUnits(0.1 + 0.2, 'EGP')).toThrow(ValidationError);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234);
    expect(toMinorUnits('12.5', 'OMR')).toBe(12500);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('-2.5', 'BHD')).toBe(-2500);
    expect(fromMinorUnits(15050, 'SAR')).toBe('150.50');
    expect(fromMinorUnits(5, 'KWD')).toBe('0.005');
    expect(fromMinorUnits(-2500, 'JOD')).toBe('-2.500');
    expect(fromMinorUnits(1500, 'JPY')).toBe('1500');
  });

  it('refuses more decimals than the currency has, garbage, and unsafe sizes', () => {
    expect(() => toMinorUnits('1.234', 'SAR')).toThrow(ValidationError);
    expect(() => toMinorUnits('1.5', 'JPY')).toThrow(ValidationError);
    expect(() => toMinorUnits('1.2345', 'KWD')).toThrow(ValidationError);
    for (const bad of ['abc', '1,5', '', '1.', '.5', '1e3', 'NaN'])
      expect(() => toMinorUnits(bad, 'SAR'), bad).toThrow(ValidationError);
    expect(() => toMinorUnits(Number.NaN, 'SAR')).toThrow(ValidationError);
    expect(() => toMinorUnits(Number.POSITIVE_INFINITY, 'SAR')).toThrow(ValidationError);
    expect(() => toMinorUnits('99999999999999999999', 'SAR')).toThrow(ValidationError);
    expect(() => fromMinorUnits(1.5, 'SAR')).toThrow(ValidationError);
  });

  it('round-trips every safe minor amount in every exponent (property)', () => {
    const currency = fc.constantFrom('SAR', 'AED', 'EGP', 'KWD', 'BHD', 'OMR', 'JOD', 'JPY');
    const minor = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(minor, currency, (amount, code) => {
        const text = fromMinorUnits(amount, code);
        expect(toMinorUnits(text, code)).toBe(amount);
        const decimals = text.split('.')[1]?.length ?? 0;
        expect(decimals).toBe(currencyExponent(code));
      }),
    );
  });
});
