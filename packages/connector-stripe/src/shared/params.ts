import { phi } from '@hmi/core';
import * as v from 'valibot';
import { isChargeableStripeAmount, stripeAmountStep } from './amounts.js';
import { finite, int, loose, record, type Rule } from './schema.js';

/** Stripe's "empty string unsets this field". */
export const Unset = v.literal('');

/** A metadata key: at most 40 characters, no square brackets (they would break the form encoding). */
const MetadataKey = v.pipe(v.string(), v.minLength(1), v.maxLength(40), v.regex(/^[^[\]]+$/, 'must not contain square brackets'));

/**
 * Stripe metadata: up to 50 keys, values up to 500 characters. A null or empty value unsets that
 * key; `''` for the whole object unsets all of them. Never put patient data here: it is shown in the
 * Dashboard and sent in webhooks.
 */
export const Metadata = v.union([
  v.pipe(
    record(MetadataKey, v.union([v.pipe(v.string(), v.maxLength(500)), finite(), v.null()])),
    v.check((m) => Object.keys(m).length <= 50, 'at most 50 metadata keys'),
  ),
  Unset,
]);

/** Fields of the response to expand (`latest_charge`, `customer`). */
export const Expand = v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(5000))), v.maxLength(50));

/** A three-letter ISO 4217 currency code; Stripe documents lowercase and is sent what you give. */
export const Currency = v.pipe(v.string(), v.regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO 4217 currency code'));

/** An amount in Stripe's smallest currency unit (a non-negative safe integer). */
export const Amount = v.pipe(int(), v.minValue(0));

/** A positive amount in Stripe's smallest currency unit. */
export const PositiveAmount = v.pipe(int(), v.minValue(1));

/** An email address (PHI). */
export const Email = /* @__PURE__ */ phi(
  v.pipe(v.string(), v.minLength(3), v.maxLength(512), v.regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address')),
);

/** Builds a Stripe object id schema (`pi_…`, `cus_…`): safe to put in a URL path. */
/* @__NO_SIDE_EFFECTS__ */
export function stripeId(prefixes: readonly string[]) {
  const pattern = new RegExp(`^(?:${prefixes.join('|')})_[A-Za-z0-9_]{1,250}$`);
  return v.pipe(v.string(), v.regex(pattern, `expected a Stripe id starting with ${prefixes.map((p) => `${p}_`).join(' or ')}`));
}

/** A customer id. */
export const CustomerId = stripeId(['cus']);
/** A PaymentIntent id. */
export const PaymentIntentId = stripeId(['pi']);

/* @__NO_SIDE_EFFECTS__ */
function AddressLine() {
  return v.optional(v.pipe(v.string(), v.maxLength(5000)));
}

/** An address as Stripe takes it (PHI). */
export const AddressParam = /* @__PURE__ */ phi(
  loose({
    city: AddressLine(),
    country: AddressLine(),
    line1: AddressLine(),
    line2: AddressLine(),
    postal_code: AddressLine(),
    state: AddressLine(),
  }),
);

/** A string of at most `max` characters. */
/* @__NO_SIDE_EFFECTS__ */
export function maxString(max: number) {
  return v.pipe(v.string(), v.maxLength(max));
}

/** A {@link refine} rule: `amount` at `key` must be chargeable in `currency` (KWD multiples of 10, ISK of 100). */
/* @__NO_SIDE_EFFECTS__ */
export function chargeable<T extends { currency?: string | undefined }>(key: keyof T & string): Rule<T> {
  return (p) => {
    const amount = p[key] as number | undefined;
    const currency = p.currency;
    if (amount === undefined || currency === undefined || isChargeableStripeAmount(amount, currency)) return undefined;
    return [key, `Stripe requires ${currency.toUpperCase()} amounts to be a multiple of ${stripeAmountStep(currency)}`];
  };
}
