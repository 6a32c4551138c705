import { currencyExponent, fromMinorUnits, ValidationError } from '@hmi/core';

/** Writes a finite number as a plain decimal (no exponent), from its shortest round-trip form. */
function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign, whole = '', fraction = '', exp = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Converts an amount Odoo sent as a JSON float to integer minor units of `currency` (SAR/AED/EGP
 * 2 decimals, KWD/BHD/OMR/JOD 3, JPY 0). It never multiplies floats: it takes the number's
 * shortest decimal form (`1.005`, not `1.00499999…`) and rounds that string half away from zero at
 * the currency's decimals, as Odoo's own `float_round` does. A sum Odoo computed in binary
 * (`0.30000000000000004`) therefore comes back as the intended 30 halalas.
 */
export function odooAmountToMinor(value: number, currency: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ValidationError('Odoo sent an amount that is not a finite number');
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(plainDecimal(value));
  if (!match) throw new ValidationError('Odoo sent an amount that is not a decimal number');
  const [, sign, whole = '0', fraction = ''] = match;
  let minor = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
  if ((fraction[exponent] ?? '0') >= '5') minor += 1n;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new ValidationError('Odoo sent an amount too large for minor units');
  const result = Number(minor);
  return sign === '-' && result !== 0 ? -result : result;
}

/**
 * Converts integer minor units to the number Odoo expects in a JSON body: `15050` SAR → `150.5`,
 * `1234` KWD → `1.234`. The decimal string is exact and `Number()` of it serialises back to the
 * same digits, so Odoo receives exactly the amount meant.
 */
export function minorToOdooAmount(amountMinor: number, currency: string): number {
  return Number(fromMinorUnits(amountMinor, currency));
}
