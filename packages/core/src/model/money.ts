import { ValidationError } from '../errors/errors.js';

/**
 * ISO 4217 minor-unit exponents that differ from 2. Everything not listed has two decimals
 * (SAR, AED, EGP, USD, EUR, …).
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
};

/** The number of decimals of a currency's minor unit: SAR 2, KWD 3, JPY 0. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new ValidationError('currency must be a three-letter ISO 4217 code');
  return EXPONENTS[code] ?? 2;
}

/**
 * Converts a decimal amount (`"150.50"` or `150.5`) to integer minor units without floating-point
 * error. Refuses more decimals than the currency has.
 */
export function toMinorUnits(amount: string | number, currency: string): number {
  const exponent = currencyExponent(currency);
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new ValidationError('amount must be a decimal number');
  const [, sign, whole = '0', fraction = ''] = match;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > exponent) {
    throw new ValidationError(`amount has more than ${exponent} decimals for ${currency.toUpperCase()}`);
  }
  const minor = Number(whole + trimmed.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor)) throw new ValidationError('amount is too large');
  return sign ? -minor : minor;
}

/** Converts integer minor units to a decimal string with the currency's exponent: 15050 SAR → "150.50". */
export function fromMinorUnits(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new ValidationError('amountMinor must be a safe integer');
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  const whole = exponent ? digits.slice(0, -exponent) : digits;
  const fraction = exponent ? `.${digits.slice(-exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new ValidationError('amount must be finite');
  // toFixed(20) would expose binary noise; toString is exact for the shortest round-trip form.
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
