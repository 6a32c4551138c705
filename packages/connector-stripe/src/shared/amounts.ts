import { ValidationError, currencyExponent, fromMinorUnits, toMinorUnits } from '@hmi/core';

/**
 * Where Stripe's minor unit differs from ISO 4217 (docs.stripe.com/currencies, "Special cases"):
 * ISK is zero-decimal in ISO but two-decimal in Stripe's API (amounts multiples of 100); MGA is
 * two-decimal in ISO but zero-decimal in Stripe. Every other currency uses the ISO exponent that
 * `@hmi/core` knows (SAR/AED/EGP 2, KWD/BHD/OMR/JOD/TND 3, JPY 0).
 */
const STRIPE_EXPONENT_OVERRIDES: Readonly<Record<string, number>> = { ISK: 2, MGA: 0 };

/**
 * Stripe accepts three-decimal currencies in PaymentIntents, Checkout and refunds only when the last
 * digit is 0 ("round to the nearest ten"), and ISK only in whole krónur (multiples of 100).
 */
const STRIPE_AMOUNT_STEP: Readonly<Record<string, number>> = { BHD: 10, JOD: 10, KWD: 10, OMR: 10, TND: 10, ISK: 100 };

/** The number of decimals of `currency` in Stripe's API amounts. */
export function stripeCurrencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  return STRIPE_EXPONENT_OVERRIDES[code] ?? currencyExponent(code);
}

/** The step a Stripe amount must be a multiple of in `currency` (10 for KWD, 100 for ISK, else 1). */
export function stripeAmountStep(currency: string): number {
  return STRIPE_AMOUNT_STEP[currency.toUpperCase()] ?? 1;
}

/** Whether Stripe accepts `amount` (in Stripe's minor unit) as a charge or refund amount in `currency`. */
export function isChargeableStripeAmount(amount: number, currency: string): boolean {
  return Number.isSafeInteger(amount) && amount % stripeAmountStep(currency) === 0;
}

/**
 * Converts a canonical amount (integer ISO 4217 minor units, as in `Money.amountMinor`) to Stripe's
 * `amount`. Throws a ValidationError when Stripe cannot charge it (1.235 KWD; a fractional MGA).
 */
export function toStripeAmount(amountMinor: number, currency: string): number {
  if (!Number.isSafeInteger(amountMinor)) throw new ValidationError('amountMinor must be a safe integer');
  const shift = stripeCurrencyExponent(currency) - currencyExponent(currency);
  let amount = amountMinor;
  if (shift > 0) amount = amountMinor * 10 ** shift;
  else if (shift < 0) {
    const divisor = 10 ** -shift;
    if (amountMinor % divisor !== 0) {
      throw new ValidationError(`Stripe charges ${currency.toUpperCase()} in whole units only`);
    }
    amount = amountMinor / divisor;
  }
  if (!isChargeableStripeAmount(amount, currency)) {
    throw new ValidationError(
      `Stripe requires ${currency.toUpperCase()} amounts to be a multiple of ${stripeAmountStep(currency)} minor units`,
    );
  }
  return amount;
}

/**
 * Converts Stripe's `amount` to canonical ISO minor units. Amounts Stripe reports need no
 * divisibility check; a fractional-króna ISK amount from before 2023 is refused rather than rounded.
 */
export function fromStripeAmount(amount: number, currency: string): number {
  if (!Number.isSafeInteger(amount)) throw new ValidationError('amount must be a safe integer');
  const shift = stripeCurrencyExponent(currency) - currencyExponent(currency);
  if (shift === 0) return amount;
  if (shift < 0) return amount * 10 ** -shift;
  const divisor = 10 ** shift;
  if (amount % divisor !== 0) throw new ValidationError(`amount is not a whole ${currency.toUpperCase()} unit`);
  return amount / divisor;
}

/** Converts a decimal amount (`"150.50"` SAR, `"1.250"` KWD) to Stripe's `amount`. */
export function stripeAmountFromDecimal(amount: string | number, currency: string): number {
  return toStripeAmount(toMinorUnits(amount, currency), currency);
}

/** Converts Stripe's `amount` to a decimal string (`15050` SAR → `"150.50"`, `1250` KWD → `"1.250"`). */
export function decimalFromStripeAmount(amount: number, currency: string): string {
  return fromMinorUnits(fromStripeAmount(amount, currency), currency);
}
