import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorToOdooAmount, odooAmountToMinor } from '../src/index.js';

const CURRENCIES = { SAR: 2, AED: 2, EGP: 2, KWD: 3, BHD: 3, OMR: 3, JOD: 3, JPY: 0 } as const;

describe('money between Odoo floats and minor units', () => {
  it('round-trips every amount exactly, for every currency (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(CURRENCIES)), fc.integer({ min: -1e14, max: 1e14 }), (currency, minor) => {
        const sent = minorToOdooAmount(minor, currency);
        // What Odoo receives and echoes: the JSON text of the number.
        const echoed = JSON.parse(JSON.stringify(sent)) as number;
        expect(odooAmountToMinor(echoed, currency)).toBe(minor);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the JSON Odoo receives has exactly the currency decimals meant', () => {
    expect(JSON.stringify(minorToOdooAmount(15_050, 'SAR'))).toBe('150.5');
    expect(JSON.stringify(minorToOdooAmount(1_234, 'KWD'))).toBe('1.234');
    expect(JSON.stringify(minorToOdooAmount(100_001, 'BHD'))).toBe('100.001');
    expect(JSON.stringify(minorToOdooAmount(5_000, 'JPY'))).toBe('5000');
    expect(JSON.stringify(minorToOdooAmount(-999, 'OMR'))).toBe('-0.999');
  });

  it('binary noise in a float Odoo summed is rounded away, half up as Odoo does', () => {
    expect(odooAmountToMinor(0.1 + 0.2, 'SAR')).toBe(30); // 0.30000000000000004
    expect(odooAmountToMinor(1.005, 'SAR')).toBe(101); // a naive Math.round(1.005 * 100) gives 100
    expect(Math.round(1.005 * 100)).toBe(100);
    expect(odooAmountToMinor(4.35, 'SAR')).toBe(435); // 4.35 * 100 = 434.99999999999994
    expect(odooAmountToMinor(1.2345, 'KWD')).toBe(1_235);
    expect(odooAmountToMinor(-2.675, 'SAR')).toBe(-268);
    expect(odooAmountToMinor(1e-7, 'KWD')).toBe(0);
  });

  it('refuses what is not an amount', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) expect(() => odooAmountToMinor(bad, 'SAR')).toThrow(/finite/);
    expect(() => odooAmountToMinor(1e300, 'SAR')).toThrow(/too large/);
    expect(() => minorToOdooAmount(1.5, 'SAR')).toThrow();
  });
});
