import fc from 'fast-check';
import { ValidationError, currencyExponent } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import {
  createStripeConnector,
  decimalFromStripeAmount,
  fromStripeAmount,
  stripeAmountFromDecimal,
  stripeCurrencyExponent,
  toStripeAmount,
} from '@hmi/connector-stripe';

describe('currency exponents between canonical amounts and Stripe amounts', () => {
  it.each([
    ['150.50', 'SAR', 15_050],
    ['99.99', 'AED', 9_999],
    ['1250', 'EGP', 125_000],
    ['1.250', 'KWD', 1_250],
    ['12.340', 'BHD', 12_340],
    ['3.5', 'OMR', 3_500],
    ['7.120', 'JOD', 7_120],
    ['500', 'JPY', 500],
    ['5', 'ISK', 500],
  ])('%s %s → %i', (decimal, currency, stripe) => {
    expect(stripeAmountFromDecimal(decimal, currency)).toBe(stripe);
    expect(decimalFromStripeAmount(stripe, currency)).toBe(
      currencyExponent(currency) === 0 ? decimal : Number(decimal).toFixed(currencyExponent(currency)),
    );
  });

  it('Stripe exponents: SAR/AED/EGP 2, KWD/BHD/OMR/JOD/TND 3, JPY 0, ISK 2 (Stripe special case), MGA 0', () => {
    expect(['SAR', 'AED', 'EGP', 'KWD', 'BHD', 'OMR', 'JOD', 'TND', 'JPY', 'ISK', 'MGA'].map(stripeCurrencyExponent)).toEqual([
      2, 2, 2, 3, 3, 3, 3, 3, 0, 2, 0,
    ]);
  });

  it('three-decimal currencies: Stripe refuses a last digit other than 0 (1.235 KWD)', () => {
    for (const currency of ['KWD', 'BHD', 'OMR', 'JOD', 'TND']) {
      expect(() => toStripeAmount(1_235, currency)).toThrow(ValidationError);
      expect(toStripeAmount(1_230, currency)).toBe(1_230);
    }
    expect(() => stripeAmountFromDecimal('1.2345', 'KWD')).toThrow(ValidationError);
    expect(() => toStripeAmount(150, 'MGA')).toThrow(ValidationError);
  });

  it('round trip for every chargeable amount (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('SAR', 'AED', 'EGP', 'KWD', 'BHD', 'OMR', 'JOD', 'JPY', 'USD', 'ISK'),
        fc.integer({ min: 0, max: 1e9 }),
        (currency, n) => {
          const minor = ['KWD', 'BHD', 'OMR', 'JOD'].includes(currency) ? n * 10 : n;
          expect(fromStripeAmount(toStripeAmount(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });

  it('createPaymentIntent refuses 1.235 KWD and accepts 1.230 KWD without a request for the refusal', async () => {
    const stripe = createStripeConnector({
      apiKey: 'sk_test_amounts',
      baseUrl: 'http://127.0.0.1:9',
      allowInsecureHttp: true,
      maxRetries: 0,
    });
    const error = await stripe.actions.createPaymentIntent({ amount: 1_235, currency: 'kwd' }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues[0]!.path).toEqual(['amount']);
    const refund = await stripe.actions
      .createRefund({ payment_intent: 'pi_1', amount: 1_001, currency: 'bhd' })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(refund)).toBe(true);
    const checkout = await stripe.actions
      .createCheckoutSession({
        success_url: 'https://h.example/ok',
        line_items: [{ price_data: { currency: 'jod', unit_amount: 1_005, product_data: { name: 'x' } }, quantity: 1 }],
      })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(checkout)).toBe(true);
  });
});
